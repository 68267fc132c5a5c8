// Roles and groups of a portal session, kept current. A next-auth session lives 8 hours, but an
// admin whose role is taken away at Keycloak (or who is disabled there) must lose it within minutes:
// every SESSION_ROLES_REFRESH_SECONDS the session's Keycloak refresh token is spent at Keycloak's
// token endpoint and the roles are read again from the new access token. A refusal means the
// session ended at Keycloak, so it ends here too. The refresh token lives only inside the session
// JWT, which next-auth encrypts (JWE, A256GCM) under the session secret.
//
// A route handler writes the refreshed session back to the browser (lib/auth/request-session.ts);
// a page render cannot set cookies, so each process keeps the refreshed session for one interval
// and every render in it reuses that instead of asking Keycloak again, and concurrent renders of one
// session share a single refresh.
import { createHash } from "node:crypto";
import { decodeJwt } from "jose";
import type { JWT } from "next-auth/jwt";
import { identityFromClaims, type Identity } from "@/lib/auth/claims";
import { keycloakRefreshClient } from "@/lib/auth/keycloak-refresh-client";
import { env } from "@/lib/env";
import { requestRefresh } from "@/lib/links/request-refresh";
import { log } from "@/lib/log";
import { singleton } from "@/lib/singleton";
import { upsertUser } from "@/lib/users/upsert-user";

/** Sessions whose refreshed state one process remembers; the oldest go first. */
const MAX_REMEMBERED = 10_000;

type Refreshed = { token: JWT; at: number };
const remembered = () => singleton("auth.refreshedSessions", () => new Map<string, Promise<Refreshed>>());

/** What a session token carries about the signed-in user (inside the encrypted cookie). */
export interface SessionClaims {
  userId?: string;
  username?: string;
  roles?: string[];
  groups?: string[];
  idToken?: string;
  refreshToken?: string;
  /** Epoch ms when roles and groups were read from a Keycloak access token. */
  rolesReadAt?: number;
  /** Keycloak refused the refresh: nothing in this token may be trusted any more. */
  ended?: true;
}

export interface KeycloakTokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

/** The identity an access token straight from Keycloak's token endpoint names, and its user row. */
export async function sessionFromKeycloakTokens(
  tokens: KeycloakTokens,
  now = Date.now(),
): Promise<{ claims: SessionClaims; identity: Identity }> {
  const identity = identityFromClaims({ ...decodeJwt(tokens.access_token), iss: env().KEYCLOAK_ISSUER });
  const user = await upsertUser(identity);
  const claims: SessionClaims = {
    userId: user.id,
    username: identity.username,
    roles: identity.roles,
    groups: identity.groups,
    idToken: tokens.id_token,
    refreshToken: tokens.refresh_token,
    rolesReadAt: now,
  };
  return { claims, identity };
}

/** The token unchanged while its roles are fresh; else re-read from Keycloak, or ended. */
export async function refreshRolesIfStale(token: JWT, now = Date.now()): Promise<JWT> {
  const current = token as JWT & SessionClaims;
  if (current.ended || !current.userId) return token;
  const maxAgeMs = env().SESSION_ROLES_REFRESH_SECONDS * 1000;
  if (current.rolesReadAt !== undefined && now - current.rolesReadAt < maxAgeMs) return token;
  // One session's stale state: the refresh token it holds names it (hashed: the map is no token store).
  const key = createHash("sha256")
    .update(`${current.userId}:${current.refreshToken ?? current.rolesReadAt}`)
    .digest("base64url");
  const cache = remembered();
  let pending = cache.get(key);
  if (pending) {
    const done = await pending.catch(() => undefined);
    if (done && now - done.at < maxAgeMs) return done.token;
    if (cache.get(key) === pending) cache.delete(key);
    pending = cache.get(key);
  }
  if (!pending) {
    pending = refresh(current, now).then((refreshed) => ({ token: refreshed, at: now }));
    cache.set(key, pending);
    if (cache.size > MAX_REMEMBERED) cache.delete(cache.keys().next().value!);
  }
  return (await pending).token;
}

async function refresh(current: JWT & SessionClaims, now: number): Promise<JWT> {
  const token: JWT = current;
  if (!current.refreshToken) return end(token, "the session holds no Keycloak refresh token");
  let tokens: KeycloakTokens;
  try {
    tokens = await refreshAtKeycloak(current.refreshToken);
  } catch (e) {
    return end(token, e instanceof Error ? e.message : String(e));
  }
  const { claims } = await sessionFromKeycloakTokens(tokens, now);
  // Keycloak answers for the same person or the session is not what it claims to be.
  if (claims.userId !== current.userId) return end(token, "Keycloak's refreshed token names another user");
  return {
    ...token,
    ...claims,
    refreshToken: claims.refreshToken ?? current.refreshToken,
    idToken: claims.idToken ?? current.idToken,
  };
}

/** An ended session keeps nothing: the session callback turns it into "signed out". */
function end(token: JWT, reason: string): JWT {
  log.info({ userId: (token as SessionClaims).userId, reason }, "portal session ended: its roles could not be re-read from Keycloak");
  return { sub: token.sub, ended: true } as JWT;
}

/** The same refresh_token grant (and retries) as linked accounts and kept sign-ins use, at Keycloak. */
async function refreshAtKeycloak(refreshToken: string): Promise<KeycloakTokens> {
  const outcome = await requestRefresh(keycloakRefreshClient(), refreshToken);
  if (outcome.kind === "rejected") {
    throw new Error(
      `Keycloak's token endpoint refused the refresh (${outcome.error}${outcome.description ? `: ${outcome.description}` : ""})`,
    );
  }
  if (outcome.kind === "unreachable") throw new Error(`Keycloak's token endpoint could not be reached (${outcome.message})`);
  const { access_token, refresh_token, id_token } = outcome.tokens;
  return { access_token, refresh_token, id_token };
}
