// The authorization server's refusals, over HTTP: each bad request gets its OAuth error and nothing
// is issued; replayed codes and refresh tokens revoke what the grant issued, at the gateway too.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { setEnvForTests } from "@/lib/env";
import { findConnectedClients, revokeConnectedClient } from "@/lib/oauth-server/connected-clients";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import {
  authorizationUrl,
  authorizeInBrowser,
  pkcePair,
  registerClient,
  tokenRequest,
  type RegisteredClient,
} from "@/testkit/oauth-client";

let stack: GatewayTestStack;
let aliceId: string;
let client: RegisteredClient;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  aliceId = await stack.userIdOf("alice");
  client = await registerClient(stack.url);
});
afterAll(() => stack?.close());

const grants = () => getDb().oAuthModel.count({ where: { kind: "Grant" } });

/** Authorize as alice (approving) and return the redirect back to the client. */
async function authorize(params: Record<string, string | undefined>, approve = true) {
  const outcome = await authorizeInBrowser(authorizationUrl(stack.url, client, params), { userId: aliceId, approve });
  if (outcome.kind !== "redirect") throw new Error(`expected a redirect to the client, got ${outcome.status}`);
  return outcome.url.searchParams;
}

/** A full code flow for `resource`: the token response. */
async function tokensFor(resource: string) {
  const { verifier, challenge } = pkcePair();
  const back = await authorize({ resource, code_challenge: challenge, code_challenge_method: "S256" });
  const code = back.get("code")!;
  const res = await tokenRequest(stack.url, client, {
    grant_type: "authorization_code",
    code,
    code_verifier: verifier,
    redirect_uri: client.redirect_uris[0]!,
    resource,
  });
  expect(res.status).toBe(200);
  return { ...res.body, code, verifier, resource };
}

const mcpCall = (path: string, token: string) =>
  fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });

describe("[oauth] metadata", () => {
  it("RFC 8414 metadata names the endpoints, S256 only, iss in responses, and the registration endpoint", async () => {
    const res = await fetch(`${stack.url}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    const m = (await res.json()) as Record<string, unknown>;
    expect(m).toMatchObject({
      issuer: stack.url,
      authorization_endpoint: `${stack.url}/oauth/authorize`,
      token_endpoint: `${stack.url}/oauth/token`,
      revocation_endpoint: `${stack.url}/oauth/revoke`,
      registration_endpoint: `${stack.url}/oauth/reg`,
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
      response_types_supported: ["code"],
    });
    expect(m.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["none", "client_secret_basic", "client_secret_post"]));
  });
});

describe("[oauth] authorization request refusals", () => {
  const resource = () => stack.mcpUrl;

  it("without PKCE: invalid_request to the client, no code", async () => {
    const before = await grants();
    const back = await authorize({ resource: resource() });
    expect(back.get("error")).toBe("invalid_request");
    expect(back.get("error_description")).toMatch(/PKCE/);
    expect(back.get("code")).toBeNull();
    expect(await grants()).toBe(before);
  });

  it("PKCE plain: invalid_request, no code", async () => {
    const back = await authorize({ resource: resource(), code_challenge: "a".repeat(43), code_challenge_method: "plain" });
    expect(back.get("error")).toBe("invalid_request");
    expect(back.get("code")).toBeNull();
  });

  it("without resource: invalid_target, no code", async () => {
    const back = await authorize({ code_challenge: pkcePair().challenge, code_challenge_method: "S256" });
    expect(back.get("error")).toBe("invalid_target");
    expect(back.get("error_description")).toMatch(/resource is required/);
    expect(back.get("code")).toBeNull();
  });

  for (const [what, value] of [
    ["a foreign resource", "https://evil.example/api/mcp"],
    ["an unknown backend", "/api/mcp/nope"],
    ["the app's other paths", "/api/admin"],
  ] as const) {
    it(`${what}: invalid_target, no code`, async () => {
      const target = value.startsWith("/") ? `${stack.url}${value}` : value;
      const back = await authorize({ resource: target, code_challenge: pkcePair().challenge, code_challenge_method: "S256" });
      expect(back.get("error")).toBe("invalid_target");
      expect(back.get("code")).toBeNull();
    });
  }

  it("an unregistered redirect URI gets an error page, never a redirect", async () => {
    const outcome = await authorizeInBrowser(
      authorizationUrl(stack.url, client, {
        redirect_uri: "https://evil.example/callback",
        resource: resource(),
        code_challenge: pkcePair().challenge,
        code_challenge_method: "S256",
      }),
      { userId: aliceId },
    );
    expect(outcome.kind).toBe("page");
    if (outcome.kind === "page") {
      expect(outcome.status).toBe(400);
      expect(outcome.body).toContain("redirect_uri");
      expect(outcome.body).not.toContain("evil.example/callback?");
    }
  });

  it("Deny: access_denied to the client, no code, no grant; the decision is audited", async () => {
    const before = await grants();
    const back = await authorize({ resource: resource(), code_challenge: pkcePair().challenge, code_challenge_method: "S256" }, false);
    expect(back.get("error")).toBe("access_denied");
    expect(back.get("code")).toBeNull();
    expect(back.get("iss")).toBe(stack.url);
    expect(await grants()).toBe(before);
    await flushAudit();
    const audit = await getDb().auditEvent.findFirst({
      where: { userId: aliceId, action: "client_authorize", outcome: "failure" },
      select: { clientId: true, detail: true },
    });
    expect(audit).toEqual({ clientId: client.client_id, detail: { resource: stack.mcpUrl, decision: "deny" } });
  });
});

describe("[oauth] token endpoint", () => {
  it("a wrong code verifier: invalid_grant, nothing issued", async () => {
    const { challenge } = pkcePair();
    const back = await authorize({ resource: stack.mcpUrl, code_challenge: challenge, code_challenge_method: "S256" });
    const res = await tokenRequest(stack.url, client, {
      grant_type: "authorization_code",
      code: back.get("code")!,
      code_verifier: pkcePair().verifier,
      redirect_uri: client.redirect_uris[0]!,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_grant");
    expect(res.body.access_token).toBeUndefined();
  });

  it("a client that asks for no scope gets the mcp scope", async () => {
    const { verifier, challenge } = pkcePair();
    const back = await authorize({ scope: undefined, resource: stack.mcpUrl, code_challenge: challenge, code_challenge_method: "S256" });
    expect(back.get("error")).toBeNull();
    const res = await tokenRequest(stack.url, client, {
      grant_type: "authorization_code",
      code: back.get("code")!,
      code_verifier: verifier,
      redirect_uri: client.redirect_uris[0]!,
    });
    expect(res.status).toBe(200);
    expect(decodeJwt(res.body.access_token!)).toMatchObject({ aud: stack.mcpUrl, scope: "mcp" });
  });

  it("the access token is a JWT for exactly the requested endpoint, with the user's Gatehouse id", async () => {
    const t = await tokensFor(`${stack.mcpUrl}/gitlab`);
    expect(decodeJwt(t.access_token!)).toMatchObject({
      iss: stack.url,
      aud: `${stack.mcpUrl}/gitlab`,
      sub: aliceId,
      client_id: client.client_id,
    });
    expect(t.token_type).toBe("Bearer");
    expect(t.refresh_token).toBeTruthy();
  });

  it("a replayed code is refused and revokes what the first use issued (refresh token and access token)", async () => {
    const first = await tokensFor(stack.mcpUrl);
    expect((await mcpCall("/api/mcp", first.access_token!)).status).toBe(200);
    const replay = await tokenRequest(stack.url, client, {
      grant_type: "authorization_code",
      code: first.code,
      code_verifier: first.verifier,
      redirect_uri: client.redirect_uris[0]!,
    });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
    expect(replay.body.access_token).toBeUndefined();
    expect((await tokenRequest(stack.url, client, { grant_type: "refresh_token", refresh_token: first.refresh_token! })).body.error).toBe(
      "invalid_grant",
    );
    const refused = await mcpCall("/api/mcp", first.access_token!);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("a refresh token rotates on use; presenting the rotated one again revokes the whole grant", async () => {
    const first = await tokensFor(stack.mcpUrl);
    const second = await tokenRequest(stack.url, client, { grant_type: "refresh_token", refresh_token: first.refresh_token! });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.body.access_token!).aud).toBe(stack.mcpUrl);

    const reuse = await tokenRequest(stack.url, client, { grant_type: "refresh_token", refresh_token: first.refresh_token! });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe("invalid_grant");
    expect(reuse.body.access_token).toBeUndefined();
    // The thief's use and the client's newer tokens die together.
    expect(
      (await tokenRequest(stack.url, client, { grant_type: "refresh_token", refresh_token: second.body.refresh_token! })).body.error,
    ).toBe("invalid_grant");
    expect((await mcpCall("/api/mcp", second.body.access_token!)).status).toBe(401);
    expect((await mcpCall("/api/mcp", first.access_token!)).status).toBe(401);
  });

  it("a confidential client authenticates with client_secret_basic, and is refused without its secret", async () => {
    const confidential = await registerClient(stack.url, {
      client_name: "Confidential client",
      token_endpoint_auth_method: "client_secret_basic",
    });
    expect(confidential.client_secret).toBeTruthy();
    const { verifier, challenge } = pkcePair();
    const url = authorizationUrl(stack.url, confidential, {
      resource: stack.mcpUrl,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const outcome = await authorizeInBrowser(url, { userId: aliceId });
    if (outcome.kind !== "redirect") throw new Error("no redirect to the client");
    const params = {
      grant_type: "authorization_code",
      code: outcome.url.searchParams.get("code")!,
      code_verifier: verifier,
      redirect_uri: confidential.redirect_uris[0]!,
    };
    const anonymous = await tokenRequest(stack.url, confidential, params);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe("invalid_client");
    const basic = Buffer.from(`${encodeURIComponent(confidential.client_id)}:${encodeURIComponent(confidential.client_secret!)}`).toString(
      "base64",
    );
    const res = await fetch(`${stack.url}/oauth/token`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params),
    });
    expect(res.status).toBe(200);
    expect(decodeJwt(((await res.json()) as { access_token: string }).access_token).aud).toBe(stack.mcpUrl);
  });

  it("a refresh token is bound to its client", async () => {
    const t = await tokensFor(stack.mcpUrl);
    const other = await registerClient(stack.url, { client_name: "Another client" });
    const res = await tokenRequest(stack.url, other, { grant_type: "refresh_token", refresh_token: t.refresh_token! });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_grant");
  });

  it("revocation (RFC 7009) of the refresh token revokes the grant, and the gateway refuses its access token", async () => {
    const t = await tokensFor(stack.mcpUrl);
    const res = await fetch(`${stack.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: client.client_id, token: t.refresh_token! }),
    });
    expect(res.status).toBe(200);
    expect((await mcpCall("/api/mcp", t.access_token!)).status).toBe(401);
  });
});

describe("[oauth] connected clients", () => {
  it("lists the user's grants with the client's name and endpoint, and revoking one refuses its tokens at once", async () => {
    const t = await tokensFor(`${stack.mcpUrl}/utils`);
    const gid = String(decodeJwt(t.access_token!).gid);
    const mine = await findConnectedClients(aliceId);
    expect(mine).toContainEqual(
      expect.objectContaining({
        grantId: gid,
        clientId: client.client_id,
        clientName: "Negative test client",
        resources: [`${stack.mcpUrl}/utils`],
      }),
    );
    const bobId = await stack.userIdOf("bob");
    expect((await findConnectedClients(bobId)).map((c) => c.grantId)).not.toContain(gid);
    await expect(revokeConnectedClient({ userId: bobId, grantId: gid })).rejects.toMatchObject({ code: "not_found" });
    expect((await mcpCall("/api/mcp/utils", t.access_token!)).status).toBe(200);

    await revokeConnectedClient({ userId: aliceId, grantId: gid });
    expect((await findConnectedClients(aliceId)).map((c) => c.grantId)).not.toContain(gid);
    expect((await mcpCall("/api/mcp/utils", t.access_token!)).status).toBe(401);
    expect((await tokenRequest(stack.url, client, { grant_type: "refresh_token", refresh_token: t.refresh_token! })).body.error).toBe(
      "invalid_grant",
    );
  });
});

describe("[gateway] Gatehouse-issued tokens", () => {
  it("a token for one endpoint is refused at another, and accepted at its own", async () => {
    const t = await tokensFor(`${stack.mcpUrl}/gitlab`);
    expect((await mcpCall("/api/mcp/gitlab", t.access_token!)).status).toBe(200);
    for (const path of ["/api/mcp", "/api/mcp/tickets"]) {
      const res = await mcpCall(path, t.access_token!);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  it("an /api/mcp token is refused at /api/mcp/<slug>", async () => {
    const t = await tokensFor(stack.mcpUrl);
    expect((await mcpCall("/api/mcp/utils", t.access_token!)).status).toBe(401);
  });

  it("with ACCEPT_KEYCLOAK_TOKENS=false, Keycloak tokens are refused and Gatehouse's still work", async () => {
    const t = await tokensFor(stack.mcpUrl);
    const keycloak = await stack.tokenFor("alice");
    expect((await mcpCall("/api/mcp", keycloak)).status).toBe(200);
    setEnvForTests({ ...stack.appEnv, ACCEPT_KEYCLOAK_TOKENS: "false" });
    try {
      const refused = await mcpCall("/api/mcp", keycloak);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toContain("Only tokens from Gatehouse");
      expect((await mcpCall("/api/mcp", t.access_token!)).status).toBe(200);
    } finally {
      setEnvForTests(stack.appEnv);
    }
  });

  it("a token signed by another key with Gatehouse's issuer is refused", async () => {
    const forged = await stack.world.keycloak.signToken({
      iss: stack.url,
      aud: stack.mcpUrl,
      sub: aliceId,
      gid: "g",
      exp: Math.floor(Date.now() / 1000) + 300,
    });
    expect((await mcpCall("/api/mcp", forged)).status).toBe(401);
  });
});
