// The three test backends, each checked for the credential it accepts and what it records.
import { createServer, type Server } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeBackend, startOpenBackend, startStaticKeyBackend, type TestBackend } from "@/e2e/world/backends";
import { closeServer, listen } from "@/e2e/world/http";

async function connect(url: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: "backends-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

function text(result: unknown): string {
  return (result as { content: { text: string }[] }).content[0]!.text;
}

/** A raw tools/call, to see status codes the SDK client would turn into exceptions. */
function rawCall(url: string, headers: Record<string, string>, tool = "whoami") {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: tool, arguments: {} } }),
  });
}

describe("open backend", () => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startOpenBackend({ tools: 3 });
  });
  afterAll(() => backend.close());

  it("lists tools, prompts and resources and counts list requests", async () => {
    const client = await connect(backend.url);
    try {
      const before = backend.listRequests;
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["add", "echo", "echo_1", "echo_2", "echo_3", "sleep", "whoami"]);
      expect(backend.listRequests).toBe(before + 1);
      const prompt = await client.getPrompt({ name: "greeting", arguments: { name: "Alice" } });
      expect(prompt.messages[0]?.content).toEqual({ type: "text", text: "Hello, Alice!" });
      const resource = await client.readResource({ uri: "info://about" });
      expect(resource.contents[0]).toMatchObject({ uri: "info://about", text: expect.stringContaining("open") });
      expect(text(await client.callTool({ name: "add", arguments: { a: 2, b: 3 } }))).toBe("5");
      expect(text(await client.callTool({ name: "echo_2", arguments: { text: "hi" } }))).toBe("hi");
    } finally {
      await client.close();
    }
  });

  it("answers anonymous and records whether an Authorization header came along", async () => {
    const bare = await connect(backend.url);
    const withHeader = await connect(backend.url, { authorization: "Bearer leaked" });
    try {
      const start = backend.calls.length;
      expect(JSON.parse(text(await bare.callTool({ name: "whoami", arguments: {} })))).toEqual({
        identity: "anonymous",
        authorizationPresent: false,
      });
      expect(JSON.parse(text(await withHeader.callTool({ name: "whoami", arguments: {} })))).toEqual({
        identity: "anonymous",
        authorizationPresent: true,
      });
      const [first, second] = backend.calls.slice(start);
      expect(first).toMatchObject({ tool: "whoami", authorization: undefined, identity: "anonymous" });
      expect(second).toMatchObject({ tool: "whoami", authorization: "Bearer leaked", identity: "anonymous" });
      expect(second?.headers.authorization).toBe("Bearer leaked");
    } finally {
      await Promise.all([bare.close(), withHeader.close()]);
    }
  });

  it("answers 405 to GET and 503 while down", async () => {
    expect((await fetch(backend.url)).status).toBe(405);
    backend.setDown(true);
    try {
      expect((await rawCall(backend.url, {})).status).toBe(503);
    } finally {
      backend.setDown(false);
    }
    expect((await rawCall(backend.url, {})).status).toBe(200);
  });

  it("sleep reports progress every 100 ms", async () => {
    const client = await connect(backend.url);
    try {
      const progress: number[] = [];
      const result = await client.callTool({ name: "sleep", arguments: { ms: 450 } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
      });
      expect(text(result)).toBe("slept 450 ms");
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      await client.close();
    }
  });

  it("sleep stops when the client cancels it", async () => {
    const client = await connect(backend.url);
    try {
      const before = backend.cancellations;
      const abort = new AbortController();
      setTimeout(() => abort.abort("enough"), 250);
      const started = Date.now();
      await expect(client.callTool({ name: "sleep", arguments: { ms: 10_000 } }, undefined, { signal: abort.signal })).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2000);
      await expect.poll(() => backend.cancellations, { timeout: 2000 }).toBe(before + 1);
    } finally {
      await client.close();
    }
  });
});

describe("static-key backend", () => {
  const key = { headerName: "X-Api-Key", apiKey: "sk-test-123" };
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startStaticKeyBackend(key);
  });
  afterAll(() => backend.close());

  it("accepts only the exact key and answers as the service account", async () => {
    expect((await rawCall(backend.url, {})).status).toBe(401);
    expect((await rawCall(backend.url, { "x-api-key": "sk-test-12" })).status).toBe(401);
    await expect(connect(backend.url, { "X-Api-Key": "wrong" })).rejects.toThrow();

    const client = await connect(backend.url, { "X-Api-Key": key.apiKey });
    try {
      expect(text(await client.callTool({ name: "whoami", arguments: {} }))).toBe("service-account");
    } finally {
      await client.close();
    }
    const recorded = backend.calls.map((c) => ({ identity: c.identity, key: c.headers["x-api-key"] }));
    expect(recorded).toEqual([
      { identity: null, key: undefined },
      { identity: null, key: "sk-test-12" },
      { identity: "service-account", key: key.apiKey },
    ]);
  });
});

describe("exchange backend", () => {
  const issuer = "http://127.0.0.1/realms/test";
  const audience = "exchange-backend";
  let jwksServer: Server;
  let signingKey: CryptoKey;
  let strangerKey: CryptoKey;
  let backend: TestBackend;

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair("RS256")).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    jwksServer = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })),
    );
    const port = await listen(jwksServer, 0, "127.0.0.1");
    backend = await startExchangeBackend({ issuer, jwksUri: `http://127.0.0.1:${port}/certs`, audience });
  });
  afterAll(async () => {
    await backend.close();
    await closeServer(jwksServer);
  });

  function token(claims: Record<string, unknown>, opts: { key?: CryptoKey; iss?: string; exp?: string | number } = {}) {
    return new SignJWT({ azp: "gatehouse", preferred_username: "alice", ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(opts.iss ?? issuer)
      .setSubject("user-alice")
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? "5m")
      .sign(opts.key ?? signingKey);
  }

  it("accepts a token from its issuer for its audience and answers with its claims", async () => {
    const jwt = await token({ aud: [audience, "account"] });
    const client = await connect(backend.url, { authorization: `Bearer ${jwt}` });
    try {
      const claims = JSON.parse(text(await client.callTool({ name: "whoami", arguments: {} })));
      expect(claims).toEqual({ sub: "user-alice", aud: [audience, "account"], azp: "gatehouse", preferred_username: "alice" });
      expect(backend.calls.at(-1)).toMatchObject({ tool: "whoami", identity: "alice", authorization: `Bearer ${jwt}` });
    } finally {
      await client.close();
    }
  });

  it("refuses another audience, another issuer, another key, an expired token and no token", async () => {
    const bad = [
      await token({ aud: "gatehouse" }),
      await token({ aud: audience }, { iss: "http://127.0.0.1/realms/other" }),
      await token({ aud: audience }, { key: strangerKey }),
      await token({ aud: audience }, { exp: Math.floor(Date.now() / 1000) - 120 }),
    ];
    const start = backend.calls.length;
    for (const jwt of bad) {
      const res = await rawCall(backend.url, { authorization: `Bearer ${jwt}` });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("invalid_token");
    }
    expect((await rawCall(backend.url, {})).status).toBe(401);
    expect(backend.calls.slice(start).map((c) => c.identity)).toEqual([null, null, null, null, null]);
  });
});
