// Inbound auth for /api/mcp: a personal access token (its `gatehouse_pat_` prefix;
// personal-access-tokens.ts), a token from Gatehouse's own authorization server (its issuer is
// APP_URL; gatehouse-tokens.ts), or the caller's Keycloak access token (jose: signature against the
// issuer's JWKS, issuer, audience, exp/nbf with skew, algorithm allow-list, no ID tokens) unless
// ACCEPT_KEYCLOAK_TOKENS=false, then the user id from the in-memory cache. At /api/mcp/<slug>, a
// backend's extra trusted issuer too.
import { decodeJwt } from "jose";
import { backendVerifier } from "@/gateway/inbound/backend-verifier";
import { isGatehouseIssuer, verifyGatehouseToken } from "@/gateway/inbound/gatehouse-tokens";
import { isPersonalAccessToken, personalAccessTokenCaller } from "@/gateway/inbound/personal-access-tokens";
import type { UserCache } from "@/gateway/inbound/user-cache";
import type { VerifiedTokens } from "@/gateway/inbound/verified-tokens";
import { jsonReply, unauthorized } from "@/gateway/replies/replies";
import type { GatewayReply, GatewayRequest, McpCaller } from "@/gateway/types";
import { bearerFromHeader, type VerifiedBearer } from "@/lib/auth/bearer";
import { isAdminRoles, type Identity } from "@/lib/auth/claims";
import { carriesSeveralCredentials, DUPLICATE_AUTHORIZATION } from "@/lib/auth/duplicate-authorization";
import { inboundVerifier } from "@/lib/auth/inbound-verifier";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";

export type AuthOutcome = { caller: McpCaller } | { reply: GatewayReply };

export interface AuthParts {
  users: UserCache;
  tokens: VerifiedTokens;
}

/** Synchronous when the token and user are cached (every call after a client's first): no promise per call. */
export function authenticate(
  req: GatewayRequest,
  slug: string | undefined,
  backend: RuntimeBackend | undefined,
  parts: AuthParts,
): AuthOutcome | Promise<AuthOutcome> {
  // RFC 6750 §2.3 allows tokens in the URI; OAuth 2.1 and MCP forbid it, and so do we, loudly.
  if (req.query && /(^|&)access_token=/.test(req.query)) {
    return {
      reply: unauthorized(slug, {
        error: "invalid_request",
        description: "Send the access token in the Authorization header, never in the URL.",
      }),
    };
  }
  const header = req.header("authorization");
  if ((req.authorizationCount?.() ?? 0) > 1 || carriesSeveralCredentials(header)) {
    return { reply: { ...unauthorized(slug, { error: "invalid_request", description: DUPLICATE_AUTHORIZATION }), status: 400 } };
  }
  if (!header) return { reply: unauthorized(slug) };
  const token = bearerFromHeader(header);
  if (!token)
    return { reply: unauthorized(slug, { error: "invalid_request", description: "Use the form `Authorization: Bearer <access token>`." }) };

  const refused = (e: unknown): AuthOutcome => {
    if (isAppError(e) && e.code === "unauthorized")
      return { reply: unauthorized(slug, { error: "invalid_token", description: e.message }) };
    if (isAppError(e) && e.code === "unavailable")
      return { reply: jsonReply(503, { error: "temporarily_unavailable", error_description: e.message }) };
    throw e;
  };
  const withUser = ({ identity }: VerifiedBearer): AuthOutcome | Promise<AuthOutcome> => {
    const userId = parts.users.resolve(identity);
    return typeof userId === "string"
      ? { caller: callerOf(identity, userId, token) }
      : userId.then((id) => ({ caller: callerOf(identity, id, token) }), refused);
  };
  try {
    if (isPersonalAccessToken(token)) {
      const caller = personalAccessTokenCaller(token, slug);
      return caller instanceof Promise ? caller.then((c) => ({ caller: c }), refused) : { caller };
    }
    const issuer = issuerOf(token);
    if (isGatehouseIssuer(issuer)) {
      // Gatehouse's own tokens name the user by id: no user upsert.
      const own = (v: VerifiedBearer): AuthOutcome => ({ caller: callerOf(v.identity, String(v.claims.sub), token, "gatehouse") });
      const verified = verifyGatehouseToken(parts.tokens, token, slug);
      return verified instanceof Promise ? verified.then(own, refused) : own(verified);
    }
    const inbound = backend?.inbound && issuer === backend.inbound.issuer ? backend.inbound : undefined;
    if (!inbound && !env().ACCEPT_KEYCLOAK_TOKENS) {
      return {
        reply: unauthorized(slug, {
          error: "invalid_token",
          description: "Only tokens from Gatehouse's authorization server are accepted here: connect the client with its OAuth sign-in.",
        }),
      };
    }
    const verified = inbound
      ? backendVerifier(inbound).then((v) => parts.tokens.verify(v, token))
      : parts.tokens.verify(inboundVerifier(), token);
    return verified instanceof Promise ? verified.then(withUser, refused) : withUser(verified);
  } catch (e) {
    return refused(e);
  }
}

// One caller per verified identity (verified-tokens.ts hands out the same object for every call
// with the same token): the per-call path allocates none.
const callers = new WeakMap<Identity, McpCaller>();

function callerOf(identity: Identity, userId: string, token: string, tokenKind?: "gatehouse"): McpCaller {
  const known = callers.get(identity);
  if (known && known.userId === userId && known.token === token && known.tokenKind === tokenKind) return known;
  const { issuer, sub, username, clientId, roles, groups } = identity;
  const caller = {
    userId,
    issuer,
    sub,
    username: username ?? null,
    clientId,
    roles,
    groups,
    isAdmin: isAdminRoles(roles),
    token,
    tokenKind,
  };
  callers.set(identity, caller);
  return caller;
}

// Decoding costs a base64 and JSON parse per call: remember each token's issuer (tokens are reused
// for many calls; the map is bounded and simply cleared when full).
const MAX_ISSUERS = 5_000;
const issuers = new Map<string, string | undefined>();

function issuerOf(token: string): string | undefined {
  if (issuers.has(token)) return issuers.get(token);
  if (issuers.size >= MAX_ISSUERS) issuers.clear();
  const issuer = decodeIssuer(token);
  issuers.set(token, issuer);
  return issuer;
}

function decodeIssuer(token: string): string | undefined {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === "string" ? iss.replace(/\/$/, "") : undefined;
  } catch {
    return undefined;
  }
}
