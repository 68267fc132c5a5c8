// Inbound auth for /api/mcp: the caller's Keycloak access token (jose: signature against the
// issuer's JWKS, issuer, audience, exp/nbf with skew, algorithm allow-list, no ID tokens), then the
// user id from the in-memory cache. At /api/mcp/<slug>, a backend's extra trusted issuer too.
import { decodeJwt } from "jose";
import { bearerFromHeader, type VerifiedBearer } from "@/lib/auth/bearer";
import { carriesSeveralCredentials, DUPLICATE_AUTHORIZATION } from "@/lib/auth/duplicate-authorization";
import type { Identity } from "@/lib/auth/claims";
import { inboundVerifier } from "@/lib/auth/inbound-verifier";
import { isAppError } from "@/lib/errors";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { backendVerifier } from "@/gateway/inbound/backend-verifier";
import { jsonReply, unauthorized } from "@/gateway/replies/replies";
import type { Caller, GatewayReply, GatewayRequest } from "@/gateway/types";
import type { UserCache } from "@/gateway/inbound/user-cache";
import type { VerifiedTokens } from "@/gateway/inbound/verified-tokens";

export type AuthOutcome = { caller: Caller } | { reply: GatewayReply };

export interface AuthParts {
  users: UserCache;
  tokens: VerifiedTokens;
}

/** Synchronous when the token and user are cached (every call after a client's first): no promise per call. */
export function authenticate(req: GatewayRequest, slug: string | undefined, backend: RuntimeBackend | undefined, parts: AuthParts): AuthOutcome | Promise<AuthOutcome> {
  // RFC 6750 §2.3 allows tokens in the URI; OAuth 2.1 and MCP forbid it, and so do we, loudly.
  if (req.query && /(^|&)access_token=/.test(req.query)) {
    return { reply: unauthorized(slug, { error: "invalid_request", description: "Send the access token in the Authorization header, never in the URL." }) };
  }
  const header = req.header("authorization");
  if ((req.authorizationCount?.() ?? 0) > 1 || carriesSeveralCredentials(header)) {
    return { reply: { ...unauthorized(slug, { error: "invalid_request", description: DUPLICATE_AUTHORIZATION }), status: 400 } };
  }
  if (!header) return { reply: unauthorized(slug) };
  const token = bearerFromHeader(header);
  if (!token) return { reply: unauthorized(slug, { error: "invalid_request", description: "Use the form `Authorization: Bearer <access token>`." }) };

  const refused = (e: unknown): AuthOutcome => {
    if (isAppError(e) && e.code === "unauthorized") return { reply: unauthorized(slug, { error: "invalid_token", description: e.message }) };
    if (isAppError(e) && e.code === "unavailable") return { reply: jsonReply(503, { error: "temporarily_unavailable", error_description: e.message }) };
    throw e;
  };
  const withUser = ({ identity }: VerifiedBearer): AuthOutcome | Promise<AuthOutcome> => {
    const userId = parts.users.resolve(identity);
    return typeof userId === "string" ? { caller: callerOf(identity, userId, token) } : userId.then((id) => ({ caller: callerOf(identity, id, token) }), refused);
  };
  try {
    const inbound = backend?.inbound && issuerOf(token) === backend.inbound.issuer ? backend.inbound : undefined;
    const verified = inbound ? backendVerifier(inbound).then((v) => parts.tokens.verify(v, token)) : parts.tokens.verify(inboundVerifier(), token);
    return verified instanceof Promise ? verified.then(withUser, refused) : withUser(verified);
  } catch (e) {
    return refused(e);
  }
}

function callerOf(identity: Identity, userId: string, token: string): Caller {
  const { issuer, sub, username, clientId, roles, groups } = identity;
  return { userId, issuer, sub, username, clientId, roles, groups, token };
}

function issuerOf(token: string): string | undefined {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === "string" ? iss.replace(/\/$/, "") : undefined;
  } catch {
    return undefined;
  }
}
