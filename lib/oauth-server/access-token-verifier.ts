// Verifies access tokens issued by Gatehouse's own authorization server: locally, with the signing
// key in memory (no network: as cheap as a Keycloak token on the hot path), issuer APP_URL, `aud`
// exactly the MCP endpoint being called, an RFC 9068 `at+jwt` header, and a grant id (`gid`) that
// the gateway checks against the revoked grants. The user is the token's `sub`: a Gatehouse user id,
// whose roles and groups are those stored at their last sign-in.
import { errors as joseErrors, jwtVerify } from "jose";
import type { BearerVerifier, VerifiedBearer } from "@/lib/auth/bearer";
import type { Identity } from "@/lib/auth/claims";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getSigningKey, SIGNING_ALG } from "@/lib/oauth-server/signing-key";
import { singleton } from "@/lib/singleton";
import { getUserIdentity } from "@/lib/users/get-user-identity";

const CLOCK_SKEW_SECONDS = 30;
// A client refreshes its token every few minutes: its user is read from the database at most this often.
const USER_TTL_MS = 60_000;
const MAX_USERS = 50_000;

/** One verifier per endpoint URL (the audience), so a verified-token cache never mixes endpoints. */
export function gatehouseTokenVerifier(audience: string): BearerVerifier {
  const verifiers = singleton("oauth.accessTokenVerifiers", () => new Map<string, BearerVerifier>());
  let verifier = verifiers.get(audience);
  if (!verifier) verifiers.set(audience, (verifier = create(audience)));
  return verifier;
}

function create(audience: string): BearerVerifier {
  const issuer = env().APP_URL;
  async function verify(token: string): Promise<VerifiedBearer> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, (await getSigningKey()).publicKey, {
        issuer,
        audience,
        algorithms: [SIGNING_ALG],
        typ: "at+jwt",
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ["exp", "sub", "gid"],
      }));
    } catch (e) {
      throw refusal(e, audience);
    }
    const identity = await userIdentity(String(payload.sub));
    return {
      identity: { ...identity, clientId: typeof payload.client_id === "string" ? payload.client_id : undefined },
      expiresAt: payload.exp! * 1000,
      claims: payload,
    };
  }
  return { issuer, verify };
}

function userIdentity(userId: string): Promise<Identity> {
  const users = singleton("oauth.tokenUsers", () => new Map<string, { identity: Promise<Identity>; until: number }>());
  const hit = users.get(userId);
  if (hit && hit.until > Date.now()) return hit.identity;
  if (users.size >= MAX_USERS) users.clear();
  const identity = getUserIdentity(userId);
  users.set(userId, { identity, until: Date.now() + USER_TTL_MS });
  identity.catch(() => users.delete(userId));
  return identity;
}

function refusal(e: unknown, audience: string): AppError {
  if (e instanceof joseErrors.JWTExpired)
    return new AppError("unauthorized", "The access token has expired. Refresh it at Gatehouse's token endpoint.");
  if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === "aud") {
    return new AppError(
      "unauthorized",
      `The access token was issued for another endpoint; this one is ${audience}. Authorize with resource=${audience}.`,
    );
  }
  if (e instanceof joseErrors.JWTClaimValidationFailed)
    return new AppError("unauthorized", `The access token was rejected: ${e.claim} is not valid here.`);
  if (e instanceof joseErrors.JOSEError) return new AppError("unauthorized", "The access token is malformed or its signature is invalid.");
  if (e instanceof AppError) return e;
  return new AppError("unavailable", "Could not read the authorization server's key to check the token. Try again shortly.");
}
