// Personal access tokens end to end against a real gateway stack: alice creates one (the row holds
// only its hash), the MCP SDK client uses it with an Authorization header as alice, the audit names
// the token; revoked, expired, forged, at another endpoint or with the feature off it gets 401; admins
// list and revoke any token over REST, and nobody else may.
import { createHash } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as revokeRoute } from "@/app/api/admin/tokens/[id]/route";
import { GET as listRoute } from "@/app/api/admin/tokens/route";
import { flushAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { createPersonalAccessToken } from "@/lib/personal-access-tokens/create-personal-access-token";
import { findPersonalAccessTokens } from "@/lib/personal-access-tokens/find-personal-access-tokens";
import { personalAccessTokenInputSchema } from "@/lib/personal-access-tokens/personal-access-token-schema";
import { revokePersonalAccessToken } from "@/lib/personal-access-tokens/revoke-personal-access-token";
import { PAT_PREFIX } from "@/lib/personal-access-tokens/token-format";
import { setPersonalAccessTokensEnabled } from "@/lib/settings/personal-access-tokens-enabled";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let aliceId: string;
let adminId: string;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  [aliceId, adminId] = await Promise.all([stack.userIdOf("alice"), stack.userIdOf("admin")]);
}, 240_000);
afterAll(() => stack?.close());

const alice = () => ({ userId: aliceId, roles: [] as string[], groups: [] as string[] });
const create = (name: string, input: { backend?: string; expiry?: string; expiresOn?: string } = {}) =>
  createPersonalAccessToken({ user: alice(), input: personalAccessTokenInputSchema.parse({ name, ...input }) });

/** A tools/list at `path` with the token, as any HTTP client would send it. */
const listWith = (token: string, path = "/api/mcp") =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });

async function expectRefused(res: Response, reason: RegExp) {
  expect(res.status).toBe(401);
  const challenge = res.headers.get("www-authenticate") ?? "";
  expect(challenge).toMatch(/^Bearer /);
  expect(challenge).toContain('error="invalid_token"');
  expect(challenge).toContain("resource_metadata=");
  expect(challenge).toMatch(reason);
}

async function sdkClient(token: string, path = "/api/mcp") {
  const client = new Client({ name: "nightly-ci", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${stack.url}${path}`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

describe("[tokens] personal access tokens", { timeout: 60_000 }, () => {
  it("alice creates a token: it is shown once with a scannable prefix, and the row holds only its SHA-256", async () => {
    const created = await create("nightly-ci");
    expect(created.token).toMatch(/^gatehouse_pat_[A-Za-z0-9_-]{43}$/);
    const row = await getDb().personalAccessToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(created.token).digest("hex"));
    const secret = created.token.slice(PAT_PREFIX.length);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(0, 16));
    expect(row.lastChars).toBe(created.token.slice(-4));
    expect(row).toMatchObject({ userId: aliceId, name: "nightly-ci", resource: "/api/mcp", revokedAt: null });
    // The list a page or the API shows carries neither the token nor its hash.
    const listed = JSON.stringify(await findPersonalAccessTokens(aliceId));
    expect(listed).toContain("nightly-ci");
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain(row.tokenHash);
  });

  it("the MCP SDK client sends the token as a header and acts as alice; the audit names the token as the client", async () => {
    const created = await create("agent-runner");
    const client = await sdkClient(created.token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("search_echo");
    const result = (await client.callTool({ name: "search_echo", arguments: { text: "from ci" } })) as { content: { text: string }[] };
    expect(result.content[0]!.text).toContain("from ci");
    await client.close();
    await flushAudit();
    const event = await getDb().auditEvent.findFirst({ where: { clientId: `pat:${created.id}`, action: "tool_call" } });
    expect(event).toMatchObject({ userId: aliceId, clientName: "agent-runner", backend: "search", outcome: "success" });
    const row = await getDb().personalAccessToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("a revoked token gets 401 at once, though the gateway had accepted it before", async () => {
    const created = await create("to-revoke");
    expect((await listWith(created.token)).status).toBe(200);
    await revokePersonalAccessToken({ id: created.id, userId: aliceId, actor: { userId: aliceId } });
    await expectRefused(await listWith(created.token), /revoked/);
    // Revoking it twice, or as another user, is not found.
    await expect(revokePersonalAccessToken({ id: created.id, userId: aliceId, actor: { userId: aliceId } })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("bob cannot revoke alice's token", async () => {
    const created = await create("alice-only");
    const bobId = await stack.userIdOf("bob");
    await expect(revokePersonalAccessToken({ id: created.id, userId: bobId, actor: { userId: bobId } })).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await listWith(created.token)).status).toBe(200);
  });

  it("an expired token gets 401", async () => {
    const created = await create("expired");
    await getDb().personalAccessToken.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectRefused(await listWith(created.token), /expired/);
  });

  it("a token for one backend works there and gets 401 at /api/mcp and at another backend", async () => {
    const created = await create("search-only", { backend: "search" });
    expect(created.resource).toBe("/api/mcp/search");
    const client = await sdkClient(created.token, "/api/mcp/search");
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("echo");
    await client.close();
    await expectRefused(await listWith(created.token), /\/api\/mcp\/search only/);
    await expectRefused(await listWith(created.token, "/api/mcp/utils"), /only/);
  });

  it("forged and malformed tokens get 401", async () => {
    await expectRefused(await listWith(`${PAT_PREFIX}${"A".repeat(43)}`), /not known/);
    await expectRefused(await listWith(`${PAT_PREFIX}short`), /not a valid/);
    const real = await create("to-tamper");
    const tampered = real.token.slice(0, -1) + (real.token.endsWith("A") ? "B" : "A");
    await expectRefused(await listWith(tampered), /not known/);
  });

  it("creation refuses a backend alice may not use, a life past PAT_MAX_DAYS and a date in the past", async () => {
    await expect(create("nope", { backend: "no-such-backend" })).rejects.toMatchObject({ code: "validation" });
    expect(personalAccessTokenInputSchema.safeParse({ name: "long", expiry: "91" }).success).toBe(false);
    expect(personalAccessTokenInputSchema.safeParse({ name: "long", expiry: "custom", expiresOn: "2099-01-01" }).success).toBe(false);
    expect(personalAccessTokenInputSchema.safeParse({ name: "past", expiry: "custom", expiresOn: "2020-01-01" }).success).toBe(false);
    expect(personalAccessTokenInputSchema.safeParse({ name: " ", expiry: "7" }).success).toBe(false);
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(personalAccessTokenInputSchema.parse({ name: "dated", expiry: "custom", expiresOn: soon }).expiresAt.toISOString()).toBe(
      `${soon}T23:59:59.000Z`,
    );
  });

  it("with the feature turned off, existing tokens get 401 and creation is refused; on again, they work", async () => {
    const created = await create("switch");
    expect((await listWith(created.token)).status).toBe(200);
    await setPersonalAccessTokensEnabled(false, { userId: adminId });
    try {
      await expectRefused(await listWith(created.token), /turned off/);
      await expect(create("while-off")).rejects.toMatchObject({ code: "forbidden" });
    } finally {
      await setPersonalAccessTokensEnabled(true, { userId: adminId });
    }
    expect((await listWith(created.token)).status).toBe(200);
  });

  it("an admin lists every token over REST (never the token or its hash) and revokes one; alice may not", async () => {
    const created = await create("admin-sees");
    const [adminToken, aliceToken] = await Promise.all([stack.tokenFor("admin"), stack.tokenFor("alice")]);
    const get = (token: string) =>
      listRoute(new Request(`${stack.url}/api/admin/tokens`, { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({}),
      });
    const res = await get(adminToken);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { enabled: boolean; tokens: { id: string; name: string; user: { id: string } }[] };
    expect(body.enabled).toBe(true);
    expect(body.tokens.find((t) => t.id === created.id)).toMatchObject({ name: "admin-sees", user: { id: aliceId } });
    const text = JSON.stringify(body);
    expect(text).not.toContain(created.token.slice(PAT_PREFIX.length));
    expect(text).not.toContain("tokenHash");
    expect((await get(aliceToken)).status).toBe(403);

    const del = (token: string, id: string) =>
      revokeRoute(new Request(`${stack.url}/api/admin/tokens/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({ id }),
      });
    expect((await del(aliceToken, created.id)).status).toBe(403);
    expect((await listWith(created.token)).status).toBe(200);
    expect((await del(adminToken, created.id)).status).toBe(200);
    await expectRefused(await listWith(created.token), /revoked/);
    expect((await del(adminToken, created.id)).status).toBe(404);
    expect((await del(adminToken, "not-a-uuid")).status).toBe(404);
  });
});
