// Test connection against the test world's real MCP backends: status and reason, never the backend's body.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/e2e/stack";
import { testBackendConnection } from "@/gateway/console/test-connection";
import type { BackendInput } from "@/lib/backends/backend-schema";
import { createBackend } from "@/lib/backends/create-backend";
import { getBackend } from "@/lib/backends/get-backend";
import { getDb } from "@/lib/db";
import { startTestEnv, type TestEnv } from "@/testkit/console-stack";

let env: TestEnv;
let admin: { userId: string };
let silent: Server;
beforeAll(async () => {
  env = await startTestEnv();
  admin = {
    userId: (await getDb().user.create({ data: { issuer: "https://idp", sub: "tester", username: "admin" }, select: { id: true } })).id,
  };
  // Accepts connections and never answers.
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  silent?.close();
  await env?.close();
});

const make = (slug: string, url: string, auth: BackendInput["auth"], extra: Partial<BackendInput> = {}) =>
  createBackend({ slug, displayName: slug, url, auth, ...extra }, { userId: null });
const TOOLS = ["whoami", "echo", "add", "sleep"];

describe("test connection", () => {
  it("lists the open backend's tools and records the check on the row", async () => {
    const b = await make("t-open", env.world.backends.open.url, { mode: "none" });
    const r = await testBackendConnection(b.id, { admin });
    expect(r).toMatchObject({ ok: true, toolCount: 4, authenticated: true });
    expect(r.tools.map((t) => t.name)).toEqual(TOOLS);
    expect(r.message).toBe("Connected: 4 tools (whoami, echo, add, sleep).");
    const after = await getBackend(b.id);
    expect(after.toolCount).toBe(4);
    expect(after.lastCheck).toMatchObject({ ok: true, message: r.message });
    // It tried server/discover, then fell back to the handshake: the console shows the era.
    expect(after.era).toEqual({ era: "2025-11-25", protocolVersion: "2025-11-25" });
  });

  it("sends the static header, and reports the backend's 401 when the key is wrong, without its body or the key", async () => {
    const { headerName, apiKey } = env.world.staticKey;
    const good = await make("t-static", env.world.backends.static.url, { mode: "static_header", headerName, value: apiKey });
    expect((await testBackendConnection(good.id, { admin })).tools.map((t) => t.name)).toEqual(TOOLS);

    const wrong = await make("t-static-bad", env.world.backends.static.url, {
      mode: "static_header",
      headerName,
      value: "sk-wrong-key-value",
    });
    const r = await testBackendConnection(wrong.id, { admin });
    expect(r.ok).toBe(false);
    expect(r.message).toBe("Refused: 401 Unauthorized — the backend rejected the credential.");
    expect(r.message).not.toContain("sk-wrong-key-value");
    expect(r.message).not.toContain("X-Api-Key");
    expect((await getBackend(wrong.id)).lastCheck?.ok).toBe(false);
  });

  it("gives a clear error for a dead URL, a backend that is down, and one that never answers", async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}/mcp`;
    const dead = await make("t-dead", deadUrl, { mode: "none" });
    const r = await testBackendConnection(dead.id, { admin });
    expect(r).toMatchObject({ ok: false, toolCount: null, tools: [] });
    expect(r.message).toBe(`Could not connect to ${deadUrl}: the backend refused the connection (is it running?).`);

    env.world.backends.open.setDown(true);
    try {
      const down = await make("t-down", env.world.backends.open.url, { mode: "none" });
      const message = (await testBackendConnection(down.id, { admin })).message;
      expect(message).toBe("Failed: 503 Service Unavailable — the backend failed or is unavailable.");
      expect(message).not.toContain("backend is down");
    } finally {
      env.world.backends.open.setDown(false);
    }

    const { port } = silent.address() as { port: number };
    const hung = await make("t-hung", `http://127.0.0.1:${port}/mcp`, { mode: "none" }, { timeoutMs: 1000 });
    const started = Date.now();
    expect((await testBackendConnection(hung.id, { admin })).message).toMatch(/^No answer from .* within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("tests a token-exchange backend with the admin's own token, and says so when there is none", async () => {
    const b = await make("t-exchange", env.world.backends.exchange.url, {
      mode: "token_exchange",
      tokenEndpoint: env.world.keycloak.tokenEndpoint,
      clientId: env.world.gatehouseClient.clientId,
      clientSecret: env.world.gatehouseClient.clientSecret,
      audience: env.world.exchangeAudience,
    });
    const accessToken = await env.tokenFor("admin");
    const withToken = await testBackendConnection(b.id, { admin: { ...admin, accessToken } });
    expect(withToken).toMatchObject({ ok: true, toolCount: 4, authenticated: true });
    expect(withToken.message).not.toContain(accessToken);

    const without = await testBackendConnection(b.id, { admin });
    expect(without.ok).toBeNull();
    expect(without.message).toMatch(
      /^Reachable: without a credential the backend answered HTTP 401, as it should\. A token-exchange backend can only be tested with the admin's own token/,
    );
    // An unverified check keeps the last known tool count.
    expect((await getBackend(b.id)).toolCount).toBe(4);
  });

  it("reports the token endpoint's refusal for client credentials", async () => {
    const b = await make("t-cc", env.world.backends.exchange.url, {
      mode: "client_credentials",
      tokenEndpoint: env.world.keycloak.tokenEndpoint,
      clientId: env.world.gatehouseClient.clientId,
      clientSecret: "not-the-secret",
    });
    const r = await testBackendConnection(b.id, { admin });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(
      /^Could not get a credential for the backend: Backend "t-cc": the client credentials grant failed: the token endpoint .* answered HTTP 401 \(invalid_client/,
    );
    expect(r.message).not.toContain("not-the-secret");
  });
});
