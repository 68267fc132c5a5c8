// The GitLab-shaped OAuth server and its MCP server, exercised over real HTTP.
import { createHash, randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitLab, type GitLabServer } from "@/e2e/world/gitlab";

const app = { clientId: "gatehouse-test", clientSecret: "s3cret", redirectUris: ["http://127.0.0.1:1/callback"], name: "Gatehouse" };
const redirectUri = app.redirectUris[0]!;

let gitlab: GitLabServer;
beforeAll(async () => void (gitlab = await startGitLab({ applications: [app] })));
afterAll(() => gitlab.close());

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

function authorizeUrl(scope: string, challenge: string, state = "st-1"): string {
  const url = new URL("/oauth/authorize", gitlab.url);
  const params = { client_id: app.clientId, redirect_uri: redirectUri, response_type: "code", scope, state };
  url.search = new URLSearchParams({ ...params, code_challenge: challenge, code_challenge_method: "S256" }).toString();
  return url.href;
}

/** POST /oauth/token with client_secret_basic (default) or client_secret_post. */
async function tokenRequest(params: Record<string, string>, auth: "basic" | "post" = "basic") {
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = {};
  if (auth === "post") {
    body.set("client_id", app.clientId);
    body.set("client_secret", app.clientSecret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64")}`;
  }
  const res = await fetch(`${gitlab.url}/oauth/token`, { method: "POST", headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const refresh = (refreshToken: string) => tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken }, "post");

async function revoke(token: string) {
  const body = new URLSearchParams({ token, client_id: app.clientId, client_secret: app.clientSecret });
  return (await fetch(`${gitlab.url}/oauth/revoke`, { method: "POST", body })).status;
}

async function getJson(path: string, token?: string) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(gitlab.url + path, { headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Full browser flow + code exchange for one user. */
async function linkAs(username: string, password: string, scope: string) {
  const { verifier, challenge } = pkcePair();
  const location = new URL(await gitlab.authorizeAs(authorizeUrl(scope, challenge), username, password));
  const code = location.searchParams.get("code") ?? "";
  return tokenRequest({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier });
}

describe("GitLab OAuth", () => {
  it("alice authorizes the app and the code exchanges with PKCE for GitLab-shaped tokens", async () => {
    const before = { ...gitlab.counters };
    const { verifier, challenge } = pkcePair();
    const location = new URL(await gitlab.authorizeAs(authorizeUrl("mcp read_user", challenge), "alice", "alice-gitlab"));
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get("state")).toBe("st-1");
    expect(location.searchParams.get("iss")).toBe(gitlab.url);

    const code = location.searchParams.get("code") ?? "";
    const exchange = (codeVerifier: string) =>
      tokenRequest({ grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: codeVerifier });
    expect(await exchange(pkcePair().verifier)).toMatchObject({ status: 400, json: { error: "invalid_grant" } });

    const tokens = await exchange(verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.json).toMatchObject({ token_type: "Bearer", expires_in: 7200, scope: "mcp read_user" });
    expect(typeof tokens.json.refresh_token).toBe("string");
    expect(gitlab.counters.tokensIssued).toBe(before.tokensIssued + 1);
    expect(await exchange(verifier)).toMatchObject({ status: 400, json: { error: "invalid_grant" } }); // codes are single-use
  });

  it("token/info and /api/v4/user describe the token and its user", async () => {
    const { json: tokens } = await linkAs("alice", "alice-gitlab", "read_user mcp");
    const accessToken = String(tokens.access_token);

    const info = await getJson("/oauth/token/info", accessToken);
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ resource_owner_id: 101, scope: ["read_user", "mcp"], application: { uid: app.clientId } });
    expect(info.json.expires_in).toBeGreaterThan(7100);
    expect(typeof info.json.created_at).toBe("number");
    const byQuery = await getJson(`/oauth/token/info?access_token=${accessToken}`);
    expect(byQuery.status).toBe(200);

    const user = await getJson("/api/v4/user", accessToken);
    expect(user).toMatchObject({
      status: 200,
      json: { id: 101, username: "alice", name: "Alice Anderson", email: "alice@example.test", state: "active" },
    });

    expect(await getJson("/oauth/token/info", "nope")).toMatchObject({ status: 401, json: { error: "invalid_token" } });
    expect((await getJson("/api/v4/user", "nope")).status).toBe(401);
    expect((await getJson("/api/v4/user")).status).toBe(401);
  });

  it("/api/v4/user refuses a token without read_user or api", async () => {
    const mcpOnly = await gitlab.issueTokens({ username: "bob", clientId: app.clientId, scopes: ["mcp"] });
    expect(await getJson("/api/v4/user", mcpOnly.access_token)).toMatchObject({ status: 403, json: { error: "insufficient_scope" } });
    const api = await gitlab.issueTokens({ username: "bob", clientId: app.clientId, scopes: ["api"] });
    expect(await getJson("/api/v4/user", api.access_token)).toMatchObject({ status: 200, json: { username: "bob" } });
  });

  it("unknown scopes, a denial and a wrong password end as GitLab ends them", async () => {
    const { challenge } = pkcePair();
    const invalid = new URL(await gitlab.authorizeAs(authorizeUrl("mcp write_everything", challenge), "alice", "alice-gitlab"));
    expect(invalid.searchParams.get("error")).toBe("invalid_scope");
    expect(invalid.searchParams.get("state")).toBe("st-1");

    const denied = new URL(await gitlab.authorizeAs(authorizeUrl("mcp", challenge), "bob", "bob-gitlab", { deny: true }));
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("code")).toBeNull();

    await expect(gitlab.authorizeAs(authorizeUrl("mcp", challenge), "bob", "wrong")).rejects.toThrow(/sign-in failed/);
  });

  it("a refresh rotates: new pair works, old access and refresh tokens die", async () => {
    const first = await gitlab.issueTokens({ username: "alice", clientId: app.clientId, scopes: ["api", "mcp"] });
    const before = { ...gitlab.counters };
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.json.access_token).not.toBe(first.access_token);
    expect(second.json.refresh_token).not.toBe(first.refresh_token);
    expect(second.json.scope).toBe("api mcp");

    expect(await gitlab.isTokenActive(first.access_token)).toBe(false);
    expect(await gitlab.isTokenActive(first.refresh_token)).toBe(false);
    expect((await getJson("/api/v4/user", first.access_token)).status).toBe(401);
    expect(await gitlab.isTokenActive(String(second.json.access_token))).toBe(true);
    expect((await getJson("/api/v4/user", String(second.json.access_token))).status).toBe(200);
    expect(gitlab.counters).toMatchObject({
      refreshes: before.refreshes + 1,
      tokensIssued: before.tokensIssued + 1,
      refreshFailures: before.refreshFailures,
    });
  });

  it("a reused refresh token gets invalid_grant and revokes the authorization", async () => {
    const first = await gitlab.issueTokens({ username: "alice", clientId: app.clientId, scopes: ["api"] });
    const second = await refresh(first.refresh_token);
    const before = { ...gitlab.counters };

    const reused = await refresh(first.refresh_token);
    expect(reused).toMatchObject({ status: 400, json: { error: "invalid_grant" } });
    expect(gitlab.counters).toMatchObject({
      refreshes: before.refreshes,
      refreshFailures: before.refreshFailures + 1,
      tokensIssued: before.tokensIssued,
    });
    // Like GitLab's reuse detection, the whole authorization is gone, rotated pair included.
    expect(await gitlab.isTokenActive(String(second.json.refresh_token))).toBe(false);
    expect((await refresh(String(second.json.refresh_token))).json.error).toBe("invalid_grant");
  });

  it("revoking a refresh token kills its access token; revoking an access token kills its refresh token", async () => {
    const a = await gitlab.issueTokens({ username: "bob", clientId: app.clientId, scopes: ["api"] });
    const before = gitlab.counters.revocations;
    expect(await revoke(a.refresh_token)).toBe(200);
    expect(await gitlab.isTokenActive(a.access_token)).toBe(false);
    expect((await getJson("/oauth/token/info", a.access_token)).status).toBe(401);

    const b = await gitlab.issueTokens({ username: "bob", clientId: app.clientId, scopes: ["api"] });
    expect(await revoke(b.access_token)).toBe(200);
    expect(await gitlab.isTokenActive(b.refresh_token)).toBe(false);
    expect((await refresh(b.refresh_token)).json.error).toBe("invalid_grant");
    expect(gitlab.counters.revocations).toBe(before + 2);

    const anonymous = await fetch(`${gitlab.url}/oauth/revoke`, {
      method: "POST",
      body: new URLSearchParams({ token: "x", client_id: app.clientId }),
    });
    expect(anonymous.status).toBe(401);
    expect(gitlab.counters.revocations).toBe(before + 2);
  });

  it("the access-token lifetime is configurable and expired tokens stop working", async () => {
    const short = await startGitLab({ applications: [app], accessTokenTtlSeconds: 1 });
    try {
      const tokens = await short.issueTokens({ username: "alice", clientId: app.clientId, scopes: ["read_user"] });
      expect(tokens.expires_in).toBe(1);
      await new Promise((r) => setTimeout(r, 2100));
      expect(await short.isTokenActive(tokens.access_token)).toBe(false);
      expect((await fetch(`${short.url}/api/v4/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);

      short.setAccessTokenTtl(300);
      const body = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      });
      const refreshed = (await (await fetch(`${short.url}/oauth/token`, { method: "POST", body })).json()) as Record<string, unknown>;
      expect(refreshed.expires_in).toBe(300);
    } finally {
      await short.close();
    }
  });
});

describe("GitLab MCP server", () => {
  async function connect(token: string) {
    const client = new Client({ name: "gitlab-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(gitlab.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    return client;
  }

  function text(result: unknown): string {
    return (result as { content: { text: string }[] }).content[0]!.text;
  }

  it("answers as the token's user: alice and bob each see themselves", async () => {
    const alice = await gitlab.issueTokens({ username: "alice", clientId: app.clientId, scopes: ["mcp"] });
    const bob = await gitlab.issueTokens({ username: "bob", clientId: app.clientId, scopes: ["mcp"] });
    const before = gitlab.counters.mcpCalls;
    const [asAlice, asBob] = await Promise.all([connect(alice.access_token), connect(bob.access_token)]);
    try {
      expect(JSON.parse(text(await asAlice.callTool({ name: "get_current_user", arguments: {} })))).toEqual({
        id: 101,
        username: "alice",
        name: "Alice Anderson",
      });
      expect(JSON.parse(text(await asBob.callTool({ name: "get_current_user", arguments: {} })))).toMatchObject({
        id: 102,
        username: "bob",
      });

      const issue = JSON.parse(
        text(
          await asAlice.callTool({ name: "create_issue", arguments: { project: "acme/web", title: "Broken", description: "It broke" } }),
        ),
      );
      expect(issue).toMatchObject({ iid: 1, title: "Broken", author: { username: "alice" }, state: "opened" });
      const read = JSON.parse(text(await asBob.callTool({ name: "get_issue", arguments: { project: "acme/web", iid: 1 } })));
      expect(read).toMatchObject({ iid: 1, author: { username: "alice" } });
      const missing = await asBob.callTool({ name: "get_issue", arguments: { project: "acme/web", iid: 99 } });
      expect(missing.isError).toBe(true);
      expect(gitlab.counters.mcpCalls).toBe(before + 5);
    } finally {
      await Promise.all([asAlice.close(), asBob.close()]);
    }
  });

  it("refuses a missing, unknown or revoked token with 401 pointing at its resource metadata", async () => {
    const res = await fetch(gitlab.mcpUrl, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(401);
    const metadataUrl = `${gitlab.url}/.well-known/oauth-protected-resource/api/v4/mcp`;
    expect(res.headers.get("www-authenticate")).toContain(`resource_metadata="${metadataUrl}"`);
    const metadata = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ resource: gitlab.mcpUrl, authorization_servers: [gitlab.url] });
    await expect(connect("not-a-gitlab-token")).rejects.toThrow();

    const tokens = await gitlab.issueTokens({ username: "alice", clientId: app.clientId, scopes: ["mcp"] });
    await (await connect(tokens.access_token)).close();
    await revoke(tokens.refresh_token);
    await expect(connect(tokens.access_token)).rejects.toThrow();
  });

  it("refuses a token without the mcp scope with 403 insufficient_scope", async () => {
    const apiOnly = await gitlab.issueTokens({ username: "alice", clientId: app.clientId, scopes: ["api", "read_user"] });
    const res = await fetch(gitlab.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${apiOnly.access_token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "insufficient_scope" });
    expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });
});
