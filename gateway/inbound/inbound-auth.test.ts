// Inbound auth at /api/mcp: every bad token is answered 401 with the resource metadata pointer and
// reaches no backend; a bad Origin is 403; a backend's extra trusted issuer is accepted at its own
// endpoint only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeycloak, type KeycloakServer } from "@/e2e/world/keycloak";
import { handleWebRequest } from "@/gateway/http/web-handler";
import { updateBackend } from "@/lib/backends/update-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let partner: KeycloakServer;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  partner = await startKeycloak({
    realm: "partner",
    clients: [{ clientId: "partner-app", clientSecret: "partner-secret", redirectUris: [] }],
  });
});
afterAll(async () => {
  await partner?.close();
  await stack?.close();
});

const call = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "utils_whoami", arguments: {} } };

function post(token: string | undefined, opts: { path?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  return fetch(`${stack.url}${opts.path ?? "/api/mcp"}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify(opts.body ?? call),
  });
}

/** The JSON-RPC message of a response, whether the backend answered JSON or an SSE stream. */
async function rpcBody(res: Response): Promise<{ result: { content: { text: string }[] } }> {
  const text = await res.text();
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) return JSON.parse(text);
  const data = text
    .split("\n")
    .filter((l) => l.startsWith("data:"))
    .map((l) => JSON.parse(l.slice(5)));
  return data.find((m) => "result" in m || "error" in m);
}

const backendCalls = () =>
  Object.values(stack.world.backends).reduce((n, b) => n + b.calls.length, 0) + stack.world.gitlab.counters.mcpCalls;

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  const alice = stack.world.keycloak.users.find((u) => u.username === "alice")!;
  return {
    iss: stack.world.keycloak.issuer,
    sub: alice.sub,
    aud: [stack.world.gatehouseClient.clientId],
    azp: stack.world.gatehouseClient.clientId,
    typ: "Bearer",
    iat: now,
    exp: now + 300,
    preferred_username: "alice",
    realm_access: { roles: ["user"] },
    ...overrides,
  };
}

describe("[gateway] inbound token", () => {
  it("a well-formed token signed by the realm is accepted (the suite's control case)", async () => {
    const res = await post(await stack.world.keycloak.signToken(claims()));
    expect(res.status).toBe(200);
  });

  const cases: [string, () => Promise<string | undefined>, Record<string, string>?][] = [
    ["no token", async () => undefined],
    [
      "a bad signature",
      async () => {
        const [h, p, s] = (await stack.tokenFor("alice")).split(".");
        return `${h}.${p}.${s!.slice(0, -4)}${s!.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
      },
    ],
    ["alg none", () => stack.world.keycloak.signToken(claims(), { alg: "none" })],
    ["HS256 signed with the realm's public key", () => stack.world.keycloak.signToken(claims(), { alg: "HS256" })],
    ["an unknown kid", () => stack.world.keycloak.signToken(claims(), { kid: "not-a-published-key" })],
    ["a wrong issuer", () => stack.world.keycloak.signToken(claims({ iss: "http://127.0.0.1:1/realms/evil" }))],
    ["a wrong audience", () => stack.world.keycloak.signToken(claims({ aud: ["other-app"] }))],
    ["no audience", () => stack.world.keycloak.signToken(claims({ aud: undefined }))],
    [
      "an expired token",
      () => stack.world.keycloak.signToken(claims({ iat: Math.floor(Date.now() / 1000) - 900, exp: Math.floor(Date.now() / 1000) - 600 })),
    ],
    ["a token not yet valid", () => stack.world.keycloak.signToken(claims({ nbf: Math.floor(Date.now() / 1000) + 600 }))],
    [
      "a token issued in the future (iat beyond the clock skew)",
      () => stack.world.keycloak.signToken(claims({ iat: Math.floor(Date.now() / 1000) + 600 })),
    ],
    [
      "an ID token presented as an access token",
      async () => {
        const res = await stack.world.keycloak.passwordGrant({ username: "alice", password: "alice-password", clientId: "gatehouse" });
        expect(res.id_token).toBeTruthy();
        return res.id_token;
      },
    ],
    ["a token for another client", () => stack.tokenFor("alice", stack.world.otherClient.clientId)],
  ];

  for (const [what, token] of cases) {
    it(`${what} is answered 401 with resource_metadata and reaches no backend`, async () => {
      const value = await token();
      const before = backendCalls();
      const res = await post(value);
      expect(res.status).toBe(401);
      const challenge = res.headers.get("www-authenticate") ?? "";
      expect(challenge).toContain(`resource_metadata="${stack.url}/.well-known/oauth-protected-resource/api/mcp"`);
      if (value) expect(challenge).toContain('error="invalid_token"');
      expect(backendCalls()).toBe(before);
    });
  }

  it("a token in the query string is refused, even a valid one, and reaches no backend", async () => {
    const token = await stack.tokenFor("alice");
    const before = backendCalls();
    const res = await fetch(`${stack.url}/api/mcp?access_token=${token}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(call),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("resource_metadata=");
    expect(backendCalls()).toBe(before);
  });

  it("answers tools/call with a valid token, and the caller never learns more than the tool result", async () => {
    const res = await post(await stack.tokenFor("bob"));
    expect(res.status).toBe(200);
    const body = await rpcBody(res);
    expect(JSON.parse(body.result.content[0]!.text)).toEqual({ identity: "anonymous", authorizationPresent: false });
  });
});

describe("[gateway] Origin", () => {
  it("a browser request from a foreign origin is refused 403", async () => {
    const before = backendCalls();
    const res = await post(await stack.tokenFor("alice"), { headers: { origin: "http://evil.example" } });
    expect(res.status).toBe(403);
    expect(backendCalls()).toBe(before);
  });

  it("the app's own origin is allowed and gets CORS headers", async () => {
    const res = await post(await stack.tokenFor("alice"), { headers: { origin: stack.url } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(stack.url);
  });
});

describe("[gateway] per-backend endpoint", () => {
  it("/api/mcp/<slug> lists that backend's tools unprefixed and calls them", async () => {
    const client = await stack.connect("alice", { path: "/api/mcp/utils" });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["add", "echo", "sleep", "whoami"]);
    const result = (await client.callTool({ name: "echo", arguments: { text: "direct" } })) as { content: { text: string }[] };
    expect(result.content[0]!.text).toBe("direct");
    await client.close();
  });

  it("an unknown backend is 404, and its 401 names the backend's own metadata", async () => {
    expect((await post(await stack.tokenFor("alice"), { path: "/api/mcp/nope" })).status).toBe(404);
    const res = await post(undefined, { path: "/api/mcp/utils" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain(`${stack.url}/.well-known/oauth-protected-resource/api/mcp/utils"`);
  });

  it("a backend's extra trusted issuer is accepted at its own endpoint only", async () => {
    await updateBackend(stack.backendIds.utils, { inboundIssuer: partner.issuer, inboundAudience: "partner-app" }, { userId: null });
    const token = (await partner.passwordGrant({ username: "bob", password: "bob-password", clientId: "partner-app" })).access_token;
    const echo = (name: string) => ({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name, arguments: { text: "partner" } } });

    const own = await post(token, { path: "/api/mcp/utils", body: echo("echo") });
    expect(own.status).toBe(200);
    expect((await rpcBody(own)).result.content[0]!.text).toBe("partner");
    expect((await post(token, { body: echo("utils_echo") })).status).toBe(401);
    expect((await post(token, { path: "/api/mcp/search", body: echo("echo") })).status).toBe(401);
  });
});

describe("[gateway] Web adapter (the route file's path)", () => {
  const web = (token: string | undefined, body: unknown = call) =>
    handleWebRequest(
      new Request(`${stack.url}/api/mcp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      }),
      stack.gateway,
    );

  it("answers like the Node handler: 401 with resource_metadata, then a streamed tool result", async () => {
    const refused = await web(undefined);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("resource_metadata=");
    const res = await web(await stack.tokenFor("alice"));
    expect(res.status).toBe(200);
    expect(JSON.parse((await rpcBody(res)).result.content[0]!.text)).toEqual({ identity: "anonymous", authorizationPresent: false });
  });

  it("issues the signed session id at initialize", async () => {
    const init = {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: { elicitation: { url: {} } }, clientInfo: { name: "t", version: "1" } },
    };
    const res = await web(await stack.tokenFor("alice"), init);
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(((await res.json()) as { result: { protocolVersion: string } }).result.protocolVersion).toBe("2025-11-25");
  });
});
