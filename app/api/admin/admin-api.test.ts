// The admin REST API, called through its route handlers with Keycloak bearer tokens from the test world.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { findAdminRouteFiles } from "@/lib/openapi/admin-routes";
import { startTestEnv, type TestEnv } from "@/testkit/console-stack";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

let env: TestEnv;
let admin: string;
let alice: string;
beforeAll(async () => {
  env = await startTestEnv();
  [admin, alice] = await Promise.all([env.tokenFor("admin"), env.tokenFor("alice")]);
});
afterAll(() => env?.close());

const routes = findAdminRouteFiles();

/** Calls the route handler for `path` (e.g. /api/admin/backends/123/test) as a Next request would. */
async function call(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string } = {}) {
  const url = new URL(path, "http://localhost:3999");
  const route = routes.find((r) => new RegExp(`^${r.path.replace(/\{\w+\}/g, "([^/]+)").replace(/\./g, "\\.")}$`).test(url.pathname));
  if (!route) throw new Error(`no route for ${path}`);
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const values = new RegExp(`^${route.path.replace(/\{\w+\}/g, "([^/]+)").replace(/\./g, "\\.")}$`).exec(url.pathname)!.slice(1);
  const mod = (await import(/* @vite-ignore */ route.file)) as Record<string, Handler>;
  const handler = mod[method];
  if (!handler) throw new Error(`${method} ${route.path} is not a route`);
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await handler(new Request(url, { method, headers, body }), {
    params: Promise.resolve(Object.fromEntries(names.map((n, i) => [n, values[i]!]))),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined,
    headers: res.headers,
  };
}

const backend = (slug: string, auth: Record<string, unknown>) => ({
  slug,
  displayName: slug,
  url: `https://${slug}.example.com/mcp`,
  auth,
});

describe("admin REST API: who may call it", () => {
  // Without any credential the wrapper asks next-auth for a session, which needs Next's request
  // context: the e2e spec checks that case against the running app.
  it("answers 403 to alice and 401 to a malformed token, on every method of every admin route", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    for (const r of routes) {
      const path = r.path.replace(/\{\w+\}/g, id);
      for (const method of r.methods) {
        const body = method === "GET" ? undefined : {};
        expect((await call(method, path, { token: "not-a-jwt", body })).status, `${method} ${r.path} with a malformed token`).toBe(401);
        const res = await call(method, path, { token: alice, body });
        expect(res.status, `${method} ${r.path} as alice`).toBe(403);
        expect(res.json.error.code).toBe("forbidden");
      }
    }
  });

  it("answers 401 to a token that is not Keycloak's", async () => {
    const res = await call("GET", "/api/admin/backends", { token: "eyJhbGciOiJub25lIn0.e30." });
    expect([res.status, res.headers.get("www-authenticate")]).toEqual([401, 'Bearer realm="gatehouse"']);
  });
});

describe("admin REST API: backends", () => {
  it("answers 400 to a body that is not JSON", async () => {
    const res = await call("POST", "/api/admin/backends", { token: admin, raw: "slug=x" });
    expect([res.status, res.json.error.code]).toEqual([400, "bad_request"]);
  });

  it("answers 422 naming the missing fields of each outgoing auth mode, and an unknown mode", async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ mode: "static_header" }, ["auth.headerName", "auth.value"]],
      [{ mode: "token_exchange", clientId: "gatehouse" }, ["auth.audience", "auth.clientSecret"]],
      [{ mode: "linked_account" }, ["auth.providerId"]],
      [{ mode: "client_credentials", clientSecret: "x" }, ["auth.clientId", "auth.tokenEndpoint"]],
      [{ mode: "passthrough" }, ["auth.mode"]],
      [{ mode: "client_credentials", tokenEndpoint: "ftp://idp/token", clientId: "svc", clientSecret: "x" }, ["auth.tokenEndpoint"]],
    ];
    for (const [auth, fields] of cases) {
      const res = await call("POST", "/api/admin/backends", { token: admin, body: backend("val", auth) });
      expect(res.status, JSON.stringify(auth)).toBe(422);
      expect(Object.keys(res.json.error.fields).sort(), JSON.stringify(auth)).toEqual(fields);
    }
    const badUrl = await call("POST", "/api/admin/backends", {
      token: admin,
      body: { ...backend("val", { mode: "none" }), url: "not a url" },
    });
    expect(badUrl.json.error.fields).toEqual({ url: ["must be an http:// or https:// URL"] });
    expect((await call("GET", "/api/admin/backends", { token: admin })).json.backends).toEqual([]);
  });

  it("creates, reads, edits, tests, disables and deletes a backend; the secret is in no response body", async () => {
    const { headerName, apiKey } = env.world.staticKey;
    const created = await call("POST", "/api/admin/backends", {
      token: admin,
      body: { ...backend("search", { mode: "static_header", headerName, value: apiKey }), url: env.world.backends.static.url },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json.auth).toMatchObject({ mode: "static_header", headerName, secretSet: true });

    const bodies = [created.text];
    const step = async (method: string, path: string, body?: unknown) => {
      const res = await call(method, path, { token: admin, body });
      bodies.push(res.text);
      return res;
    };
    expect((await step("GET", `/api/admin/backends/${id}`)).json.slug).toBe("search");
    expect((await step("PATCH", `/api/admin/backends/${id}`, { displayName: "Search", toolDeny: ["sleep"] })).json).toMatchObject({
      displayName: "Search",
      toolDeny: ["sleep"],
    });
    const tested = await step("POST", `/api/admin/backends/${id}/test`);
    expect(tested.json).toMatchObject({ ok: true, toolCount: 4 });
    expect((await step("POST", `/api/admin/backends/${id}/disable`)).json.enabled).toBe(false);
    expect((await step("POST", `/api/admin/backends/${id}/enable`)).json.enabled).toBe(true);
    expect((await step("GET", "/api/admin/backends")).json.backends).toHaveLength(1);
    await flushAudit();
    expect((await step("GET", "/api/admin/audit?backend=search")).json.events.map((e: { action: string }) => e.action)).toEqual([
      "admin.backend.enable",
      "admin.backend.disable",
      "admin.backend.test",
      "admin.backend.update",
      "admin.backend.create",
    ]);
    expect((await step("DELETE", `/api/admin/backends/${id}`)).status).toBe(204);
    expect((await step("GET", `/api/admin/backends/${id}`)).status).toBe(404);
    for (const text of bodies) expect(text).not.toContain(apiKey);
  });

  it("answers 409 for a slug that is taken", async () => {
    expect((await call("POST", "/api/admin/backends", { token: admin, body: backend("clash", { mode: "none" }) })).status).toBe(201);
    const res = await call("POST", "/api/admin/backends", { token: admin, body: backend("clash", { mode: "none" }) });
    expect([res.status, res.json.error.code, res.json.error.fields]).toEqual([
      409,
      "conflict",
      { slug: ['"clash" is already used by another backend'] },
    ]);
  });

  it("requires a new secret when an edit switches to a mode that needs one", async () => {
    const { json } = await call("POST", "/api/admin/backends", { token: admin, body: backend("switcher", { mode: "none" }) });
    const res = await call("PATCH", `/api/admin/backends/${json.id}`, {
      token: admin,
      body: { auth: { mode: "static_header", headerName: "X-Key" } },
    });
    expect([res.status, res.json.error.fields]).toEqual([422, { "auth.value": ["is required when switching to this mode"] }]);
  });

  it("tests a token-exchange backend as the calling admin", async () => {
    const { json } = await call("POST", "/api/admin/backends", {
      token: admin,
      body: {
        ...backend("tickets", {
          mode: "token_exchange",
          tokenEndpoint: env.world.keycloak.tokenEndpoint,
          clientId: env.world.gatehouseClient.clientId,
          clientSecret: env.world.gatehouseClient.clientSecret,
          audience: env.world.exchangeAudience,
        }),
        url: env.world.backends.exchange.url,
      },
    });
    const res = await call("POST", `/api/admin/backends/${json.id}/test`, { token: admin });
    expect(res.json).toMatchObject({ ok: true, toolCount: 4, authenticated: true });
    expect(res.text).not.toContain(env.world.gatehouseClient.clientSecret);
  });
});

describe("admin REST API: providers, users, audit", () => {
  it("creates a provider from a preset, refuses to delete it while a backend uses it, disables it", async () => {
    const created = await call("POST", "/api/admin/providers", {
      token: admin,
      body: {
        kind: "gitlab",
        slug: "gitlab",
        displayName: "GitLab",
        baseUrl: env.world.gitlab.url,
        clientId: env.world.gitlabApp.clientId,
        clientSecret: env.world.gitlabApp.clientSecret,
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      slug: "gitlab",
      clientSecretSet: true,
      redirectUri: "http://localhost:3999/api/links/gitlab/callback",
      tokenEndpoint: `${env.world.gitlab.url}/oauth/token`,
    });
    expect(created.text).not.toContain(env.world.gitlabApp.clientSecret);
    const id = created.json.id as string;

    await call("POST", "/api/admin/backends", { token: admin, body: backend("gl", { mode: "linked_account", providerId: id }) });
    const refused = await call("DELETE", `/api/admin/providers/${id}`, { token: admin });
    expect([refused.status, refused.json.error.message]).toEqual([409, expect.stringContaining("gl")]);

    const disabled = await call("PATCH", `/api/admin/providers/${id}`, { token: admin, body: { enabled: false } });
    expect(disabled.json).toMatchObject({ enabled: false, slug: "gitlab", clientSecretSet: true });
    expect((await call("PATCH", `/api/admin/providers/${id}`, { token: admin, body: { baseUrl: "nope" } })).status).toBe(422);
    expect((await call("GET", "/api/admin/providers", { token: admin })).json.providers).toHaveLength(1);
  });

  it("lists users with roles and last sign-in, and answers 404 when revoking a link that does not exist", async () => {
    const res = await call("GET", "/api/admin/users", { token: admin });
    const me = res.json.users.find((u: { username: string }) => u.username === "admin");
    expect(me).toMatchObject({ roles: expect.arrayContaining(["gatehouse-admin"]), linkedAccounts: [] });
    const providers = (await call("GET", "/api/admin/providers", { token: admin })).json.providers;
    const revoke = await call("DELETE", `/api/admin/users/${me.id}/links/${providers[0].id}`, { token: admin });
    expect(revoke.status).toBe(404);
    expect((await call("GET", "/api/admin/users?take=0", { token: admin })).status).toBe(400);
  });

  it("filters and pages the audit log, and exports it as CSV", async () => {
    await flushAudit();
    const first = await call("GET", "/api/admin/audit?action=admin.backend.create&take=2", { token: admin });
    expect(first.json.events).toHaveLength(2);
    expect(
      first.json.events.every(
        (e: { action: string; user: { username: string } }) => e.action === "admin.backend.create" && e.user.username === "admin",
      ),
    ).toBe(true);
    const second = await call("GET", `/api/admin/audit?action=admin.backend.create&take=2&cursor=${first.json.nextCursor}`, {
      token: admin,
    });
    expect(second.json.events[0].id).not.toBe(first.json.events[1].id);
    expect((await call("GET", "/api/admin/audit?user=alice", { token: admin })).json.events).toEqual([]);
    expect((await call("GET", "/api/admin/audit?outcome=maybe", { token: admin })).json.error.fields).toHaveProperty("outcome");
    expect((await call("GET", "/api/admin/audit?from=yesterday", { token: admin })).status).toBe(400);

    for (const path of ["/api/admin/audit.csv?action=admin.backend.create", "/api/admin/audit?action=admin.backend.create&format=csv"]) {
      const csv = await call("GET", path, { token: admin });
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const lines = csv.text.trim().split("\r\n");
      expect(lines[0]).toBe("at,user,user_issuer,user_id,client_id,action,outcome,backend,provider,tool,latency_ms,detail");
      expect(lines.length - 1).toBeGreaterThanOrEqual(4);
      expect(lines.slice(1).every((l) => l.includes(",admin.backend.create,success,"))).toBe(true);
    }
  });

  it("serves the OpenAPI document to admins", async () => {
    const res = await call("GET", "/api/admin/openapi.json", { token: admin });
    expect(res.json.openapi).toBe("3.1.0");
    expect(Object.keys(res.json.paths)).toContain("/api/admin/users/{id}/links/{providerId}");
  });
});
