// How MCP clients become known to Gatehouse's authorization server: open dynamic registration
// (RFC 7591) with redirect URI rules, a body limit and a per-address rate limit; and Client ID
// Metadata Documents, fetched under SSRF rules and checked. Documents are served over http on
// loopback here, through the development-only allowance (OAUTH_ALLOW_HTTP_CLIENT_METADATA).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { setEnvForTests } from "@/lib/env";
import { getPendingAuthorization } from "@/lib/oauth-server/interaction";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { authorizationUrl, authorizeInBrowser, CookieJar, pkcePair, TestOAuthClient, tokenRequest } from "@/testkit/oauth-client";

const REGISTRATIONS_PER_MINUTE = 8;
let stack: GatewayTestStack;
let documents: Server;
let docs: string;
let aliceId: string;

const callback = "http://127.0.0.1:9/callback";
const fetches = new Map<string, number>();
function documentFor(path: string): { status?: number; type?: string; body: string; location?: string; cache?: string } {
  const id = `${docs}${path}`;
  const doc = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ client_id: id, client_name: "CIMD test client", redirect_uris: [callback], ...extra });
  switch (path) {
    case "/good.json":
      return { body: doc() };
    case "/big.json":
      return { body: doc({ client_uri: `https://example.com/${"x".repeat(6000)}` }) };
    case "/html.json":
      return { type: "text/html", body: "<html>client</html>" };
    case "/broken.json":
      return { body: "{ not json" };
    case "/other-id.json":
      return { body: JSON.stringify({ client_id: `${docs}/good.json`, redirect_uris: [callback] }) };
    case "/evil-redirect.json":
      return { body: doc({ redirect_uris: ["http://evil.example/callback"] }) };
    case "/no-store.json":
      return { body: doc(), cache: "no-store" };
    case "/max-age.json":
      return { body: doc(), cache: "public, max-age=3600" };
    case "/moved.json":
      return { status: 302, location: `${docs}/good.json`, body: "" };
    default:
      return { status: 404, body: "{}" };
  }
}

beforeAll(async () => {
  documents = createServer((req, res) => {
    const d = documentFor(req.url ?? "/");
    fetches.set(req.url ?? "/", (fetches.get(req.url ?? "/") ?? 0) + 1);
    res.writeHead(d.status ?? 200, {
      "content-type": d.type ?? "application/json",
      ...(d.location ? { location: d.location } : {}),
      ...(d.cache ? { "cache-control": d.cache } : {}),
    });
    res.end(d.body);
  });
  await new Promise<void>((r) => documents.listen(0, "127.0.0.1", r));
  docs = `http://127.0.0.1:${(documents.address() as AddressInfo).port}`;
  stack = await startGatewayTestStack({
    env: { OAUTH_ALLOW_HTTP_CLIENT_METADATA: "true", OAUTH_REGISTRATIONS_PER_MINUTE: String(REGISTRATIONS_PER_MINUTE) },
  });
  aliceId = await stack.userIdOf("alice");
});
afterAll(async () => {
  await stack?.close();
  documents?.close();
});

const clients = () => getDb().oAuthModel.count({ where: { kind: "Client" } });
const register = (metadata: Record<string, unknown>, raw?: string) =>
  fetch(`${stack.url}/oauth/reg`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ?? JSON.stringify({ token_endpoint_auth_method: "none", ...metadata }),
  });

describe("[oauth] dynamic registration", () => {
  it("accepts https, loopback http on any port, and a native app's private-use scheme", async () => {
    for (const metadata of [
      { redirect_uris: ["https://client.example/callback"] },
      { redirect_uris: ["http://127.0.0.1:53682/callback", "http://localhost:3334/oauth/callback", "http://[::1]:8080/cb"] },
      { application_type: "native", redirect_uris: ["com.example.mcp:/oauth/callback", "cursor://anysphere.cursor-mcp/oauth/callback"] },
    ]) {
      const res = await register(metadata);
      expect(res.status, JSON.stringify(metadata)).toBe(201);
      expect(((await res.json()) as { client_id: string }).client_id).toBeTruthy();
    }
  });

  for (const [what, uri] of [
    ["plain http to a non-loopback host", "http://client.example/callback"],
    ["a javascript: URI", "javascript:alert(1)"],
    ["a fragment", "https://client.example/callback#x"],
  ] as const) {
    it(`refuses ${what} with invalid_redirect_uri and registers nothing`, async () => {
      const before = await clients();
      const res = await register({ application_type: uri.startsWith("javascript") ? "native" : "web", redirect_uris: [uri] });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; error_description: string };
      expect(body.error).toMatch(/invalid_redirect_uri|invalid_client_metadata/);
      expect(body.error_description).toMatch(/redirect_uris/);
      expect(await clients()).toBe(before);
    });
  }

  it("refuses a body over the limit and registers nothing", async () => {
    const before = await clients();
    const res = await register({}, JSON.stringify({ redirect_uris: [callback], client_name: "x".repeat(100 * 1024) }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await clients()).toBe(before);
  });
});

describe("[oauth] Client ID Metadata Documents", () => {
  it("metadata advertises them, with the public client auth method", async () => {
    const m = (await (await fetch(`${stack.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(m.client_id_metadata_document_supported).toBe(true);
    expect(m.token_endpoint_auth_methods_supported).toContain("none");
  });

  it("a client whose id is its metadata document URL signs in without registering, named as its document says", async () => {
    const registered = await clients();
    const client = { client_id: `${docs}/good.json`, redirect_uris: [callback] };
    const { verifier, challenge } = pkcePair();
    const url = authorizationUrl(stack.url, client, { resource: stack.mcpUrl, code_challenge: challenge, code_challenge_method: "S256" });

    const jar = new CookieJar();
    const first = await jar.get(url);
    const uid = /\/oauth\/interaction\/([^/?]+)/.exec(first.headers.get("location") ?? "")![1]!;
    expect(await getPendingAuthorization(uid, jar.cookies.get("_interaction"))).toMatchObject({
      clientName: "CIMD test client",
      redirectHost: "127.0.0.1:9",
      resource: stack.mcpUrl,
    });

    const outcome = await authorizeInBrowser(url, { userId: aliceId });
    if (outcome.kind !== "redirect") throw new Error(`no redirect: ${outcome.status} ${outcome.body.slice(0, 200)}`);
    const tokens = await tokenRequest(stack.url, client, {
      grant_type: "authorization_code",
      code: outcome.url.searchParams.get("code")!,
      code_verifier: verifier,
      redirect_uri: callback,
    });
    expect(tokens.status).toBe(200);
    expect(decodeJwt(tokens.body.access_token!)).toMatchObject({ client_id: client.client_id, aud: stack.mcpUrl, sub: aliceId });
    const mcp = new Client({ name: "t", version: "1" });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${tokens.body.access_token}` } },
      }),
    );
    expect((await mcp.listTools()).tools.length).toBeGreaterThan(0);
    await mcp.close();
    expect(await clients()).toBe(registered);
  });

  it("the MCP SDK client refuses a non-https metadata document URL itself (so the allowance is for tests driving the flow)", async () => {
    const oauth = new TestOAuthClient({ clientMetadataUrl: `${docs}/good.json` });
    const transport = new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { authProvider: oauth });
    await expect(new Client({ name: "t", version: "1" }).connect(transport)).rejects.toThrow(/HTTPS/);
  });

  it("a document is reused as long as its Cache-Control allows: no-store is fetched again, max-age is not", async () => {
    const lookUp = async (path: string) => {
      const client = { client_id: `${docs}${path}`, redirect_uris: [callback] };
      const url = authorizationUrl(stack.url, client, {
        resource: stack.mcpUrl,
        code_challenge: pkcePair().challenge,
        code_challenge_method: "S256",
      });
      const res = await new CookieJar().get(url);
      expect(res.headers.get("location")).toMatch(/\/oauth\/interaction\//);
    };
    for (let i = 0; i < 3; i++) await Promise.all([lookUp("/no-store.json"), lookUp("/max-age.json")]);
    expect(fetches.get("/max-age.json")).toBe(1);
    expect(fetches.get("/no-store.json")).toBeGreaterThanOrEqual(3);
  });

  const refused: [string, string, RegExp][] = [
    ["a document over 5 KB", "/big.json", /larger than 5120 bytes/],
    ["a document not served as JSON", "/html.json", /not served as JSON/],
    ["a document that is not JSON", "/broken.json", /did not answer JSON/],
    ["a document naming another client_id", "/other-id.json", /client_id is not the URL/],
    ["a redirect to the document", "/moved.json", /answered with a redirect \(HTTP 30\d\); the document must be served at its own URL/],
    ["a missing document", "/missing.json", /HTTP 404/],
  ];
  for (const [what, path, reason] of refused) {
    it(`${what}: invalid_client on the error page, never a redirect`, async () => {
      const clientId = `${docs}${path}`;
      const url = authorizationUrl(
        stack.url,
        { client_id: clientId, redirect_uris: [callback] },
        { resource: stack.mcpUrl, code_challenge: pkcePair().challenge, code_challenge_method: "S256" },
      );
      const outcome = await authorizeInBrowser(url, { userId: aliceId });
      expect(outcome.kind).toBe("page");
      if (outcome.kind === "page") {
        expect(outcome.status).toBe(400);
        expect(outcome.body).toContain("invalid_client");
        expect(outcome.body).toMatch(reason);
      }
    });
  }

  it("redirect URIs come only from the document", async () => {
    const url = authorizationUrl(
      stack.url,
      { client_id: `${docs}/good.json`, redirect_uris: ["http://127.0.0.1:9/elsewhere"] },
      { resource: stack.mcpUrl, code_challenge: pkcePair().challenge, code_challenge_method: "S256" },
    );
    const outcome = await authorizeInBrowser(url, { userId: aliceId });
    expect(outcome.kind).toBe("page");
    if (outcome.kind === "page") expect(outcome.body).toContain("redirect_uri");
  });

  it("a document whose redirect URI breaks the rules is refused", async () => {
    const url = authorizationUrl(
      stack.url,
      { client_id: `${docs}/evil-redirect.json`, redirect_uris: ["http://evil.example/callback"] },
      { resource: stack.mcpUrl, code_challenge: pkcePair().challenge, code_challenge_method: "S256" },
    );
    const outcome = await authorizeInBrowser(url, { userId: aliceId });
    expect(outcome.kind).toBe("page");
    if (outcome.kind === "page") expect(outcome.body).toMatch(/plain http is allowed only on loopback/);
  });

  for (const [what, clientId] of [
    ["an https client id on a loopback address", "https://127.0.0.1:1/client.json"],
    ["an https client id whose name resolves to loopback", "https://localhost:1/client.json"],
    ["an https client id on a private address", "https://10.11.12.13/client.json"],
  ] as const) {
    it(`${what} is refused before any connection`, async () => {
      const url = authorizationUrl(
        stack.url,
        { client_id: clientId, redirect_uris: [callback] },
        { resource: stack.mcpUrl, code_challenge: pkcePair().challenge, code_challenge_method: "S256" },
      );
      const outcome = await authorizeInBrowser(url, { userId: aliceId });
      expect(outcome.kind).toBe("page");
      if (outcome.kind === "page") expect(outcome.body).toMatch(/refused: \S+ (is|resolves to \S+) a (loopback|private) address/);
    });
  }

  it("without the development allowance, an http client id is not a metadata document", async () => {
    setEnvForTests({ ...stack.appEnv, OAUTH_ALLOW_HTTP_CLIENT_METADATA: "false" });
    try {
      const url = authorizationUrl(
        stack.url,
        { client_id: `${docs}/good.json?off`, redirect_uris: [callback] },
        { resource: stack.mcpUrl, code_challenge: pkcePair().challenge, code_challenge_method: "S256" },
      );
      const outcome = await authorizeInBrowser(url, { userId: aliceId });
      expect(outcome.kind).toBe("page");
      if (outcome.kind === "page") expect(outcome.body).toContain("invalid_client");
    } finally {
      setEnvForTests(stack.appEnv);
    }
  });
});

describe("[oauth] registration flood", () => {
  it(`more than ${REGISTRATIONS_PER_MINUTE} registrations a minute from one address are refused 429, and register nothing`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < REGISTRATIONS_PER_MINUTE + 3; i++) statuses.push((await register({ redirect_uris: [callback] })).status);
    const before = await clients();
    const res = await register({ redirect_uris: [callback] });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await res.json()) as { error_description: string }).error_description).toMatch(/Too many client registrations/);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(await clients()).toBe(before);
  });
});
