// The Keycloak-shaped IdP over real HTTP: discovery, password grant, browser login, logout.
// Token exchange and introspection: keycloak-exchange.test.ts.
import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeycloakTokenError, startKeycloak, type KeycloakServer } from "@/e2e/world/keycloak";
import { ACCESS_TOKEN, alice, APP, basic, postForm, testClients, TOKEN_EXCHANGE } from "@/e2e/world/keycloak-fixture";

let kc: KeycloakServer;

beforeAll(async () => {
  kc = await startKeycloak({ clients: testClients });
});

afterAll(async () => {
  await kc.close();
});

async function aliceToken(clientId = "gatehouse") {
  return (await kc.passwordGrant({ username: "alice", password: "alice-password", clientId })).access_token;
}

describe("discovery and keys", () => {
  it("serves Keycloak's realm URLs in the OpenID configuration", async () => {
    const res = await fetch(`${kc.issuer}/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, unknown>;
    const oidc = `${kc.issuer}/protocol/openid-connect`;
    expect(kc.issuer).toBe(`${kc.url}/realms/gatehouse`);
    expect(doc).toMatchObject({
      issuer: kc.issuer,
      authorization_endpoint: `${oidc}/auth`,
      token_endpoint: `${oidc}/token`,
      jwks_uri: `${oidc}/certs`,
      userinfo_endpoint: `${oidc}/userinfo`,
      end_session_endpoint: `${oidc}/logout`,
      revocation_endpoint: `${oidc}/revoke`,
      introspection_endpoint: `${oidc}/token/introspect`,
      code_challenge_methods_supported: ["S256"],
    });
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "password", TOKEN_EXCHANGE]));
    expect(kc.jwksUri).toBe(doc.jwks_uri);
    expect(kc.tokenEndpoint).toBe(doc.token_endpoint);
  });

  it("serves the same metadata under the RFC 8414 name", async () => {
    const doc = (await (await fetch(`${kc.issuer}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
    expect(doc.issuer).toBe(kc.issuer);
  });

  it("publishes one public RS256 signing key with a kid", async () => {
    const jwks = (await (await fetch(kc.jwksUri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });
});

describe("password grant", () => {
  it("returns a JWT access token with Keycloak's claims, verifiable against the JWKS", async () => {
    const before = kc.counters.passwordGrants;
    const tokens = await kc.passwordGrant({ username: "alice", password: "alice-password", clientId: "gatehouse" });
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(kc.jwksUri)), {
      issuer: kc.issuer,
      audience: "gatehouse",
      algorithms: ["RS256"],
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", kid: expect.any(String) });
    expect(payload).toMatchObject({
      sub: alice.sub,
      aud: ["gatehouse"],
      azp: "gatehouse",
      typ: "Bearer",
      preferred_username: "alice",
      email: alice.email,
      name: alice.name,
      realm_access: { roles: ["user"] },
      resource_access: {},
      groups: ["/engineering"],
      jti: expect.any(String),
    });
    expect(payload.scope).toContain("openid");
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(tokens.expires_in).toBe(300);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(kc.counters.passwordGrants).toBe(before + 1);
  });

  it("returns an ID token with the user's claims for the openid scope", async () => {
    const tokens = await kc.passwordGrant({ username: "admin", password: "admin-password", clientId: "gatehouse", scope: "openid" });
    const id = decodeJwt(tokens.id_token!);
    expect(id).toMatchObject({
      iss: kc.issuer,
      aud: "gatehouse",
      preferred_username: "admin",
      email: "admin@example.com",
      realm_access: { roles: ["user", "gatehouse-admin"] },
      groups: ["/platform"],
    });
  });

  it("refuses a wrong password with invalid_grant", async () => {
    const attempt = kc.passwordGrant({ username: "alice", password: "wrong", clientId: "gatehouse" });
    await expect(attempt).rejects.toBeInstanceOf(KeycloakTokenError);
    await expect(attempt).rejects.toMatchObject({ status: 401, error: "invalid_grant", errorDescription: "Invalid user credentials" });
  });

  it("refuses a client with the wrong secret", async () => {
    const res = await postForm(
      kc.tokenEndpoint,
      { grant_type: "password", username: "alice", password: "alice-password" },
      basic("gatehouse", "nope"),
    );
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("invalid_client");
  });
});

describe("browser login (authorization code + PKCE)", () => {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");

  function authorizeUrl(params: Record<string, string> = {}) {
    const url = new URL(`${kc.issuer}/protocol/openid-connect/auth`);
    url.search = new URLSearchParams({
      client_id: "gatehouse",
      response_type: "code",
      redirect_uri: `${APP}/callback`,
      scope: "openid",
      state: "state-1",
      nonce: "nonce-1",
      code_challenge: challenge,
      code_challenge_method: "S256",
      ...params,
    }).toString();
    return url.href;
  }

  it("shows a login page with Keycloak's form", async () => {
    const start = await fetch(authorizeUrl(), { redirect: "manual" });
    const loginUrl = new URL(start.headers.get("location")!, kc.url).href;
    expect(loginUrl).toContain(`${kc.issuer}/login-actions/authenticate/`);
    // The login page finds its interaction by cookie, as a browser would send it.
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const html = await (await fetch(loginUrl, { headers: { cookie } })).text();
    expect(html).toContain('id="kc-form-login"');
    expect(html).toContain('<label for="username">Username or email</label>');
    expect(html).toContain('id="kc-login"');
  });

  it("signs bob in and exchanges the code with the PKCE verifier", async () => {
    const location = await kc.authorizeAs(authorizeUrl(), "bob", "bob-password");
    const redirect = new URL(location);
    expect(redirect.origin + redirect.pathname).toBe(`${APP}/callback`);
    expect(redirect.searchParams.get("state")).toBe("state-1");
    expect(redirect.searchParams.get("iss")).toBe(kc.issuer);

    const code = redirect.searchParams.get("code")!;
    const wrongVerifier = await postForm(
      kc.tokenEndpoint,
      {
        grant_type: "authorization_code",
        code,
        redirect_uri: `${APP}/callback`,
        code_verifier: "x".repeat(43),
      },
      basic("gatehouse", "gatehouse-secret"),
    );
    expect(wrongVerifier.body.error).toBe("invalid_grant");

    const location2 = await kc.authorizeAs(authorizeUrl(), "bob", "bob-password");
    const code2 = new URL(location2).searchParams.get("code")!;
    const res = await postForm(kc.tokenEndpoint, {
      grant_type: "authorization_code",
      code: code2,
      redirect_uri: `${APP}/callback`,
      code_verifier: verifier,
      client_id: "gatehouse",
      client_secret: "gatehouse-secret",
    });
    expect(res.status).toBe(200);
    const access = decodeJwt(res.body.access_token as string);
    expect(access).toMatchObject({ preferred_username: "bob", aud: ["gatehouse"], azp: "gatehouse", groups: ["/sales"] });
    expect(decodeJwt(res.body.id_token as string)).toMatchObject({ nonce: "nonce-1", preferred_username: "bob", groups: ["/sales"] });

    const userinfo = await fetch(`${kc.issuer}/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${res.body.access_token}` },
    });
    expect(await userinfo.json()).toMatchObject({ sub: access.sub, preferred_username: "bob", email: "bob@example.com" });

    const refreshed = await postForm(
      kc.tokenEndpoint,
      { grant_type: "refresh_token", refresh_token: res.body.refresh_token as string },
      basic("gatehouse", "gatehouse-secret"),
    );
    expect(decodeJwt(refreshed.body.access_token as string)).toMatchObject({ sub: access.sub, aud: ["gatehouse"] });
  });

  it("lets a public client in with PKCE and no secret", async () => {
    const location = await kc.authorizeAs(authorizeUrl({ client_id: "cli", redirect_uri: `${APP}/cli` }), "alice", "alice-password");
    const code = new URL(location).searchParams.get("code")!;
    const res = await postForm(kc.tokenEndpoint, {
      grant_type: "authorization_code",
      code,
      redirect_uri: `${APP}/cli`,
      code_verifier: verifier,
      client_id: "cli",
    });
    expect(decodeJwt(res.body.access_token as string)).toMatchObject({ sub: alice.sub, azp: "cli", aud: ["cli"] });
  });

  it("accepts an RFC 8707 resource, as MCP clients send, and still audiences the client", async () => {
    const resource = "http://127.0.0.1:5999/api/mcp";
    const location = await kc.authorizeAs(authorizeUrl({ resource }), "alice", "alice-password");
    const code = new URL(location).searchParams.get("code")!;
    const res = await postForm(
      kc.tokenEndpoint,
      {
        grant_type: "authorization_code",
        code,
        redirect_uri: `${APP}/callback`,
        code_verifier: verifier,
        resource,
      },
      basic("gatehouse", "gatehouse-secret"),
    );
    expect(decodeJwt(res.body.access_token as string)).toMatchObject({ sub: alice.sub, aud: ["gatehouse"] });
  });

  it("shows the error on a wrong password and lets the user retry", async () => {
    await expect(kc.authorizeAs(authorizeUrl(), "alice", "wrong")).rejects.toThrow("Invalid username or password.");
  });

  it("refuses a redirect_uri that is not registered exactly", async () => {
    const res = await fetch(authorizeUrl({ redirect_uri: `${APP}/callback/extra` }), { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("redirect_uri");
  });
});

describe("logout", () => {
  const logoutUrl = (params: Record<string, string>) => `${kc.issuer}/protocol/openid-connect/logout?${new URLSearchParams(params)}`;

  it("redirects to a registered post_logout_redirect_uri with an id_token_hint", async () => {
    const idToken = (await kc.passwordGrant({ username: "alice", password: "alice-password", clientId: "gatehouse" })).id_token!;
    const res = await fetch(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: `${APP}/bye`, state: "s1" }), {
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${APP}/bye?state=s1`);
  });

  it("asks first when only client_id is given, then redirects", async () => {
    const page = await fetch(logoutUrl({ client_id: "gatehouse", post_logout_redirect_uri: `${APP}/bye` }));
    expect(await page.text()).toContain("Do you want to log out?");
    const confirm = await fetch(`${kc.issuer}/protocol/openid-connect/logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: "gatehouse", post_logout_redirect_uri: `${APP}/bye`, confirm: "yes" }),
      redirect: "manual",
    });
    expect(confirm.status).toBe(302);
    expect(confirm.headers.get("location")).toBe(`${APP}/bye`);
  });

  it("refuses an unregistered post_logout_redirect_uri", async () => {
    const res = await fetch(logoutUrl({ client_id: "gatehouse", post_logout_redirect_uri: "https://evil.example/" }), {
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Invalid redirect uri");
  });
});

describe("lifecycle", () => {
  it("starts in well under a second, keeps its state to itself and closes cleanly", async () => {
    const started = Date.now();
    const other = await startKeycloak({
      realm: "elsewhere",
      clients: [{ clientId: "gatehouse", clientSecret: "s", redirectUris: [], exchangeAudiences: ["gatehouse"] }],
    });
    // Typically ~150 ms (mostly the RSA key); the margin is for a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(other.issuer).toMatch(/\/realms\/elsewhere$/);
    // A token of the first realm means nothing to the second.
    const res = await postForm(
      other.tokenEndpoint,
      { grant_type: TOKEN_EXCHANGE, subject_token: await aliceToken(), subject_token_type: ACCESS_TOKEN },
      basic("gatehouse", "s"),
    );
    expect(res.body.error_description).toBe("Invalid token");
    await other.close();
    await expect(fetch(other.jwksUri)).rejects.toThrow();
  });
});
