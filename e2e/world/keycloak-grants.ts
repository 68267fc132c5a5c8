// The two grants oidc-provider lacks: Keycloak's password grant (direct access grants) and its
// standard token exchange (V2, RFC 8693). Error codes and texts are Keycloak 26's.
import { jwtVerify } from "jose";
import { errors, type Client, type TokenEndpointGrantContext } from "oidc-provider";
import type Provider from "oidc-provider";
import { defaultResourceFor, resourceServerInfo } from "@/e2e/world/keycloak-config";
import {
  ACCESS_TOKEN_TYPE,
  findClient,
  findUserByLogin,
  TOKEN_EXCHANGE_GRANT,
  unknownScopes,
  userClaims,
  withDefaultScopes,
  type KeycloakUser,
  type RealmState,
} from "@/e2e/world/keycloak-realm";

/** An OAuth error with Keycloak's status code (oidc-provider's classes fix most at 400). */
export function keycloakError(status: number, error: string, description: string): errors.OIDCProviderError {
  const err = new errors.CustomOIDCProviderError(error, description);
  err.status = status;
  err.statusCode = status;
  return err;
}

/** Issues a JWT access token about `sub` to `client`, with `audiences` as its `aud` list. */
async function issueAccessToken(
  provider: Provider,
  realm: RealmState,
  opts: {
    client: Client;
    sub: string;
    scope: string;
    gty: string;
    audiences: string[];
  },
) {
  const [first = opts.client.clientId] = opts.audiences;
  const resource = defaultResourceFor(realm, first);
  const grant = new provider.Grant({ clientId: opts.client.clientId, accountId: opts.sub });
  grant.addOIDCScope(opts.scope);
  grant.addResourceScope(resource, opts.scope);
  const grantId = await grant.save();

  const at = new provider.AccessToken({ client: opts.client, accountId: opts.sub, grantId, gty: opts.gty, scope: opts.scope });
  at.resourceServer = new provider.ResourceServer(resource, resourceServerInfo(realm, first));
  if (opts.audiences.length > 1) realm.audienceOverrides.set(at, opts.audiences);
  return { at, value: await at.save(), grantId, resource };
}

export function registerPasswordGrant(provider: Provider, realm: RealmState): void {
  provider.registerGrantType(
    "password",
    async (ctx: TokenEndpointGrantContext) => {
      const { client, params } = ctx.oidc;
      const user = findUserByLogin(realm.users, String(params.username ?? ""));
      if (!user || user.password !== params.password) throw keycloakError(401, "invalid_grant", "Invalid user credentials");
      const requested = params.scope as string | undefined;
      const bad = unknownScopes(requested);
      if (bad.length) throw keycloakError(400, "invalid_scope", `Invalid scopes: ${requested}`);

      const scope = withDefaultScopes(requested);
      const { at, value, grantId, resource } = await issueAccessToken(provider, realm, {
        client,
        sub: user.sub,
        scope,
        gty: "password",
        audiences: [client.clientId],
      });
      const rt = client.grantTypeAllowed("refresh_token")
        ? new provider.RefreshToken({ client, accountId: user.sub, grantId, gty: "password", scope, resource, rotations: 0 })
        : undefined;
      const idToken = scope.split(" ").includes("openid") ? await issueIdToken(provider, ctx, user) : undefined;

      realm.counters.passwordGrants++;
      ctx.body = {
        access_token: value,
        expires_in: at.expiration,
        refresh_expires_in: rt ? rt.expiration : undefined,
        refresh_token: rt ? await rt.save() : undefined,
        token_type: "Bearer",
        id_token: idToken,
        "not-before-policy": 0,
        scope,
      };
    },
    ["username", "password", "scope"],
  );
}

async function issueIdToken(provider: Provider, ctx: TokenEndpointGrantContext, user: KeycloakUser): Promise<string> {
  const token = new provider.IdToken({ sub: user.sub, ...userClaims(user) }, { ctx });
  (token as unknown as { scope: string }).scope = "openid";
  return token.issue({ use: "idtoken" });
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** Validates the subject token: signed by this realm, an access token, and still active here. */
async function verifySubjectToken(provider: Provider, realm: RealmState, token: string) {
  try {
    const { payload } = await jwtVerify(token, realm.keys.publicKey, { issuer: realm.issuer, algorithms: ["RS256"] });
    if (payload.typ !== "Bearer" || !payload.sub) return undefined;
    // Expired, revoked or ended with its browser session → gone from the store.
    return (await provider.AccessToken.find(token)) ? payload : undefined;
  } catch {
    return undefined;
  }
}

export function registerTokenExchange(provider: Provider, realm: RealmState): void {
  const invalid = (description: string) => keycloakError(400, "invalid_request", description);

  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    async (ctx: TokenEndpointGrantContext) => {
      const { client, params } = ctx.oidc;
      for (const name of ["requested_subject", "requested_issuer", "subject_issuer"]) {
        if (params[name] !== undefined) throw invalid(`Parameter '${name}' is not supported for standard token exchange`);
      }
      if (params.resource !== undefined) throw invalid("Parameter 'resource' is not supported for standard token exchange");
      const subjectToken = params.subject_token as string | undefined;
      if (!subjectToken) throw invalid("Parameter 'subject_token' required for standard token exchange");
      if (!params.subject_token_type) throw invalid("Parameter 'subject_token_type' required for standard token exchange");
      if (params.subject_token_type !== ACCESS_TOKEN_TYPE) throw invalid("Parameter 'subject_token' supports access tokens only");

      const subject = await verifySubjectToken(provider, realm, subjectToken);
      if (!subject) throw invalid("Invalid token");
      if (params.requested_token_type !== undefined && params.requested_token_type !== ACCESS_TOKEN_TYPE) {
        throw invalid("requested_token_type unsupported");
      }

      const requestedAudiences = asList(params.audience);
      if (requestedAudiences.some((aud) => !findClient(realm.clients, aud))) {
        throw keycloakError(400, "invalid_client", "Audience not found");
      }
      if (client.clientAuthMethod === "none") {
        throw keycloakError(400, "invalid_client", "Public client is not allowed to exchange token");
      }
      // The holder of the subject token (its azp) may always exchange it; anyone else must be in its aud.
      const subjectAudiences = asList(subject.aud);
      if (subject.azp !== client.clientId && !subjectAudiences.includes(client.clientId)) {
        throw keycloakError(403, "access_denied", "Client is not within the token audience");
      }
      const requested = params.scope as string | undefined;
      if (unknownScopes(requested).length) throw keycloakError(400, "invalid_scope", `Invalid scopes: ${requested}`);

      const available = findClient(realm.clients, client.clientId)?.exchangeAudiences ?? [];
      const missing = requestedAudiences.filter((aud) => !available.includes(aud));
      if (missing.length) throw invalid(`Requested audience not available: ${missing.join(", ")}`);
      const audiences = requestedAudiences.length ? [...new Set(requestedAudiences)] : available.length ? available : [client.clientId];

      const scope = withDefaultScopes(requested);
      const { at, value } = await issueAccessToken(provider, realm, {
        client,
        sub: subject.sub!,
        scope,
        gty: TOKEN_EXCHANGE_GRANT,
        audiences,
      });
      realm.counters.tokenExchanges++;
      ctx.body = {
        access_token: value,
        expires_in: at.expiration,
        token_type: "Bearer",
        issued_token_type: ACCESS_TOKEN_TYPE,
        "not-before-policy": 0,
        scope,
      };
    },
    [
      "subject_token",
      "subject_token_type",
      "requested_token_type",
      "audience",
      "resource",
      "scope",
      "actor_token",
      "actor_token_type",
      "requested_subject",
      "requested_issuer",
      "subject_issuer",
    ],
    ["audience", "resource"],
  );
}
