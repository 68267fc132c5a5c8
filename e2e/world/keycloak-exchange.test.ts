// Keycloak's standard token exchange (V2) over real HTTP, introspection and revocation of its JWTs,
// and tokens forged with the realm key.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKeycloak, type KeycloakServer } from "@/e2e/world/keycloak";
import { ACCESS_TOKEN, alice, basic, postForm, testClients, TOKEN_EXCHANGE } from "@/e2e/world/keycloak-fixture";

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

/** `client`: an Authorization header value, or null to authenticate by client_id alone. */
function exchange(
  subjectToken: string,
  extra: Record<string, string | string[]> = {},
  client: string | null = basic("gatehouse", "gatehouse-secret"),
) {
  return postForm(
    kc.tokenEndpoint,
    { grant_type: TOKEN_EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN, ...extra },
    client,
  );
}

describe("token exchange (standard, V2)", () => {
  it("narrows the audience and keeps the subject and roles", async () => {
    const before = kc.counters.tokenExchanges;
    const subject = await aliceToken();
    const res = await exchange(subject, { audience: "exchange-backend" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ issued_token_type: ACCESS_TOKEN, token_type: "Bearer", expires_in: 300 });
    const { payload } = await jwtVerify(res.body.access_token as string, createRemoteJWKSet(new URL(kc.jwksUri)), {
      issuer: kc.issuer,
      audience: "exchange-backend",
    });
    expect(payload).toMatchObject({
      sub: alice.sub,
      aud: ["exchange-backend"],
      azp: "gatehouse",
      typ: "Bearer",
      realm_access: { roles: ["user"] },
      groups: ["/engineering"],
      preferred_username: "alice",
    });
    expect(kc.counters.tokenExchanges).toBe(before + 1);
  });

  it("takes several audiences", async () => {
    const res = await exchange(await aliceToken(), { audience: ["reports", "exchange-backend"] });
    expect(decodeJwt(res.body.access_token as string).aud).toEqual(["reports", "exchange-backend"]);
  });

  it("gives all of the client's exchange audiences when none is asked for", async () => {
    const res = await exchange(await aliceToken());
    expect(decodeJwt(res.body.access_token as string).aud).toEqual(["exchange-backend", "reports"]);
  });

  it("refuses a public client", async () => {
    const res = await exchange(await aliceToken("cli"), { client_id: "cli", audience: "exchange-backend" }, null);
    expect(res).toEqual({
      status: 400,
      body: { error: "invalid_client", error_description: "Public client is not allowed to exchange token" },
    });
  });

  it("refuses a subject token that was not issued for the requesting client", async () => {
    const res = await exchange(await aliceToken(), { audience: "exchange-backend" }, basic("other-app", "other-secret"));
    expect(res).toEqual({ status: 403, body: { error: "access_denied", error_description: "Client is not within the token audience" } });
  });

  it("refuses an audience the client may not obtain", async () => {
    const res = await exchange(await aliceToken(), { audience: "other-app" });
    expect(res).toEqual({
      status: 400,
      body: { error: "invalid_request", error_description: "Requested audience not available: other-app" },
    });
  });

  it("refuses an audience that is no client of the realm", async () => {
    const res = await exchange(await aliceToken(), { audience: "nobody" });
    expect(res.body).toEqual({ error: "invalid_client", error_description: "Audience not found" });
  });

  it("refuses the resource parameter", async () => {
    const res = await exchange(await aliceToken(), { resource: "https://backend.example/mcp" });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
  });

  it("refuses a subject token that is not a live access token of this realm", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: kc.issuer,
      sub: alice.sub,
      aud: ["gatehouse"],
      azp: "gatehouse",
      typ: "Bearer",
      iat: now,
      exp: now + 60,
      jti: "never-issued",
    };
    const real = await aliceToken();
    const idToken = (await kc.passwordGrant({ username: "alice", password: "alice-password", clientId: "gatehouse" })).id_token!;
    const candidates = [
      "not-a-jwt",
      await kc.signToken(claims), // signed by the realm but never issued
      await kc.signToken({ ...claims, exp: now - 10 }), // expired
      idToken,
      `${real.slice(0, -4)}AAAA`, // signature broken
    ];
    for (const subject of candidates) {
      expect(await exchange(subject, { audience: "exchange-backend" })).toEqual({
        status: 400,
        body: { error: "invalid_request", error_description: "Invalid token" },
      });
    }
  });

  it("refuses a revoked subject token", async () => {
    const subject = await aliceToken();
    const revoke = await fetch(`${kc.issuer}/protocol/openid-connect/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic("gatehouse", "gatehouse-secret") },
      body: new URLSearchParams({ token: subject }),
    });
    expect(revoke.status).toBe(200);
    expect((await exchange(subject, { audience: "exchange-backend" })).body.error_description).toBe("Invalid token");
  });

  it("refuses other subject token types and requested token types", async () => {
    const subject = await aliceToken();
    const idType = await exchange(subject, { subject_token_type: "urn:ietf:params:oauth:token-type:id_token" });
    expect(idType.body).toEqual({ error: "invalid_request", error_description: "Parameter 'subject_token' supports access tokens only" });
    const refreshType = await exchange(subject, { requested_token_type: "urn:ietf:params:oauth:token-type:refresh_token" });
    expect(refreshType.body).toEqual({ error: "invalid_request", error_description: "requested_token_type unsupported" });
  });
});

describe("introspection", () => {
  it("reports a live token with its claims and a revoked one as inactive", async () => {
    const token = await aliceToken();
    const introspect = () =>
      postForm(`${kc.issuer}/protocol/openid-connect/token/introspect`, { token }, basic("gatehouse", "gatehouse-secret"));
    expect((await introspect()).body).toMatchObject({ active: true, sub: alice.sub, client_id: "gatehouse", preferred_username: "alice" });
    await postForm(`${kc.issuer}/protocol/openid-connect/revoke`, { token }, basic("gatehouse", "gatehouse-secret"));
    expect((await introspect()).body).toEqual({ active: false });
  });
});

describe("signToken", () => {
  it("signs arbitrary claims with the realm key, or forges the usual attacks", async () => {
    const token = await kc.signToken({ iss: kc.issuer, sub: "x", aud: "someone-else", exp: 1 });
    const keys = createRemoteJWKSet(new URL(kc.jwksUri));
    await expect(jwtVerify(token, keys, { currentDate: new Date(0) })).resolves.toMatchObject({ payload: { aud: "someone-else" } });
    expect(decodeProtectedHeader(await kc.signToken({}, { kid: "unknown" })).kid).toBe("unknown");
    expect(decodeProtectedHeader(await kc.signToken({}, { alg: "none" })).alg).toBe("none");
    await expect(jwtVerify(await kc.signToken({}, { alg: "HS256" }), keys)).rejects.toThrow();
  });
});
