// oidc-provider configured to look and answer like a Keycloak 26 realm.
import type {
  AccessToken,
  Adapter,
  ClientCredentials,
  ClientMetadata,
  Configuration,
  JWK,
  JWTStructured,
  KoaContextWithOIDC,
  ResourceServer,
} from "oidc-provider";
import { errorPage } from "@/e2e/world/keycloak-pages";
import {
  findUserBySub,
  KEYCLOAK_SCOPES,
  TOKEN_EXCHANGE_GRANT,
  USER_CLAIM_NAMES,
  userClaims,
  withDefaultScopes,
  type KeycloakClient,
  type RealmState,
} from "@/e2e/world/keycloak-realm";

const OIDC = "/protocol/openid-connect";

/** Keycloak's endpoint paths, relative to the realm (the provider is mounted at `/realms/<realm>`). */
export const KEYCLOAK_ROUTES = {
  authorization: `${OIDC}/auth`,
  token: `${OIDC}/token`,
  jwks: `${OIDC}/certs`,
  userinfo: `${OIDC}/userinfo`,
  end_session: `${OIDC}/logout`,
  revocation: `${OIDC}/revoke`,
  introspection: `${OIDC}/token/introspect`,
  pushed_authorization_request: `${OIDC}/ext/par/request`,
};

export function clientMetadata(client: KeycloakClient): ClientMetadata {
  const browser = client.redirectUris.length > 0;
  return {
    client_id: client.clientId,
    ...(client.public ? { token_endpoint_auth_method: "none" } : { client_secret: client.clientSecret ?? "" }),
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
    response_types: browser ? ["code"] : [],
    // Token exchange is allowed for public clients too, so that they get Keycloak's own refusal.
    grant_types: [
      ...(browser ? ["authorization_code"] : []),
      "refresh_token",
      "password",
      TOKEN_EXCHANGE_GRANT,
      ...(client.public ? [] : ["client_credentials"]),
    ],
  };
}

/** The resource indicator a client's tokens are bound to when it names none (Keycloak has no such notion). */
export function defaultResourceFor(realm: RealmState, clientId: string): string {
  return `${realm.issuer}/clients/${encodeURIComponent(clientId)}`;
}

/** Every access token is an RS256 JWT; its audience is a client id, whatever resource was named. */
export function resourceServerInfo(realm: RealmState, audience: string): ResourceServer {
  return {
    scope: KEYCLOAK_SCOPES.join(" "),
    audience,
    accessTokenFormat: "jwt",
    accessTokenTTL: realm.accessTokenTtlSeconds,
    jwt: { sign: { alg: "RS256", kid: realm.keys.kid } },
  };
}

/**
 * oidc-provider keeps no record of a JWT access token, so it could never be revoked, ended with its
 * session or introspected. Recording it like an opaque token makes `AccessToken.find(jwt)` work.
 */
async function recordIssuedJwt(
  adapter: (model: string) => Adapter,
  token: AccessToken | ClientCredentials,
  payload: JWTStructured["payload"],
) {
  const fields = (token.constructor as unknown as { IN_PAYLOAD: string[] }).IN_PAYLOAD;
  const record: Record<string, unknown> = {};
  for (const field of fields) {
    const value = (token as unknown as Record<string, unknown>)[field];
    if (value !== undefined) record[field] = value;
  }
  const exp = payload.exp as number;
  Object.assign(record, { jti: payload.jti, iat: payload.iat, exp, aud: payload.aud });
  await adapter(token.kind).upsert(payload.jti as string, record, Math.max(exp - Math.floor(Date.now() / 1000), 1));
}

function tokenClaims(realm: RealmState, token: AccessToken | ClientCredentials): Record<string, unknown> | undefined {
  const base = { typ: "Bearer", azp: token.clientId };
  if (token.kind === "ClientCredentials") {
    // A Keycloak service account is a user named after its client.
    return {
      ...base,
      preferred_username: `service-account-${token.clientId}`,
      realm_access: { roles: [] },
      resource_access: {},
      groups: [],
    };
  }
  const user = findUserBySub(realm.users, (token as AccessToken).accountId);
  return user ? { ...base, ...userClaims(user) } : base;
}

/** Keycloak shows no consent screen to first-party clients: whatever was asked for is granted. */
async function autoGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const clientId = oidc.client!.clientId;
  const accountId = oidc.session!.accountId!;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(clientId);
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  const grant = existing?.accountId === accountId ? existing : new oidc.provider.Grant({ clientId, accountId });
  const scope = [...oidc.requestParamScopes].join(" ");
  grant.addOIDCScope(scope);
  if (oidc.requestParamClaims.size) grant.addOIDCClaims(oidc.requestParamClaims);
  for (const resource of Object.keys(oidc.resourceServers ?? {})) grant.addResourceScope(resource, scope);
  await grant.save();
  return grant;
}

export function buildConfiguration(opts: {
  realm: RealmState;
  signingJwk: JWK;
  cookieKey: string;
  adapter: (model: string) => Adapter;
}): Configuration {
  const { realm } = opts;
  const ttl = realm.accessTokenTtlSeconds;
  return {
    adapter: opts.adapter,
    clients: realm.clients.map(clientMetadata),
    jwks: { keys: [opts.signingJwk] },
    cookies: { keys: [opts.cookieKey] },
    scopes: KEYCLOAK_SCOPES,
    responseTypes: ["code", "none"],
    // Keycloak's default client scopes put these into every ID token and userinfo answer.
    claims: { openid: USER_CLAIM_NAMES },
    routes: KEYCLOAK_ROUTES,
    async findAccount(_ctx, sub) {
      const user = findUserBySub(realm.users, sub);
      return user && { accountId: user.sub, claims: () => ({ sub: user.sub, ...userClaims(user) }) };
    },
    interactions: {
      url: (_ctx, interaction) => `${realm.realmPath}/login-actions/authenticate/${interaction.uid}`,
    },
    loadExistingGrant: autoGrant,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => client.clientAuthMethod !== "none" || token.clientId === client.clientId,
      },
      // Keycloak lets a client revoke only its own tokens. (oidc-provider revokes the whole grant
      // with an access token, refresh token included; Keycloak would revoke just that token.)
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, client, oneOf) => oneOf?.[0] ?? defaultResourceFor(realm, client.clientId),
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, _resource, client) => resourceServerInfo(realm, client.clientId),
      },
    },
    extraTokenClaims: (_ctx, token) => tokenClaims(realm, token),
    formats: {
      customizers: {
        async jwt(_ctx, token, jwt) {
          // Keycloak: `typ: JWT` header, `aud` a list, `azp` instead of RFC 9068's `client_id`.
          jwt.header = { ...jwt.header, typ: "JWT" };
          jwt.payload.aud = realm.audienceOverrides.get(token) ?? [token.aud as string];
          delete jwt.payload.client_id;
          // Keycloak's default client scopes are in every token's scope, asked for or not.
          token.scope = withDefaultScopes(token.scope);
          jwt.payload.scope = token.scope;
          await recordIssuedJwt(opts.adapter, token, jwt.payload);
        },
      },
    },
    // Keycloak issues a refresh token to every client allowed to refresh, and does not rotate it.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: false,
    clientBasedCORS: () => true,
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      IdToken: ttl,
      AuthorizationCode: 60,
      RefreshToken: 1800,
      Interaction: 1800,
      Session: 36_000,
      Grant: 36_000,
    },
    async renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = errorPage(realm.realm, out.error_description ?? out.error);
    },
  };
}
