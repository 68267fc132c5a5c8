// Verifies a Keycloak access token presented as `Authorization: Bearer`. Used by the MCP gateway
// and the admin REST API. Each rule here answers a known attack: the algorithm allow-list stops
// `alg: none` and HS256-with-the-public-key, the audience check stops tokens minted for another
// client, the `typ` check stops an ID token passed off as an access token.
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { identityFromClaims, type Identity } from "@/lib/auth/claims";
import { AppError } from "@/lib/errors";

const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
const CLOCK_SKEW_SECONDS = 30;

export interface BearerVerifierOptions {
  issuer: string;
  audience: string;
  /** Defaults to Keycloak's `<issuer>/protocol/openid-connect/certs`. */
  jwksUri?: string;
  /** The client whose `resource_access` roles count (defaults to the sign-in client). */
  clientId?: string;
  /** How the JWKS is fetched: the outbound policy's fetch for issuers an admin configured. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export interface VerifiedBearer {
  identity: Identity;
  expiresAt: number;
  claims: Record<string, unknown>;
}

export interface BearerVerifier {
  issuer: string;
  verify(token: string): Promise<VerifiedBearer>;
}

export function createBearerVerifier(opts: BearerVerifierOptions): BearerVerifier {
  const jwksUri = opts.jwksUri ?? `${opts.issuer}/protocol/openid-connect/certs`;
  // jose refetches once on an unknown `kid`, at most every 30 s, and caches keys for 10 minutes.
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(jwksUri), {
    cooldownDuration: 30_000,
    cacheMaxAge: 600_000,
    ...(opts.fetch ? { [customFetch]: opts.fetch } : {}),
  });

  async function verify(token: string): Promise<VerifiedBearer> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ["exp", "sub"],
      });
      // jose checks iat only against a maximum age; a token from the future means a wrong clock or a forgery.
      if (typeof payload.iat === "number" && payload.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) {
        throw new AppError(
          "unauthorized",
          `The access token claims to be issued in the future (iat more than ${CLOCK_SKEW_SECONDS} s ahead); check the identity provider's clock.`,
        );
      }
      const isAccessToken = payload.typ === "Bearer" || protectedHeader.typ?.toLowerCase() === "at+jwt";
      if (!isAccessToken) throw new AppError("unauthorized", "The token is not an access token (an ID token cannot be used here).");
      return { identity: identityFromClaims(payload, opts.clientId), expiresAt: payload.exp! * 1000, claims: payload };
    } catch (e) {
      throw toUnauthorized(e);
    }
  }

  return { issuer: opts.issuer, verify };
}

function toUnauthorized(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof joseErrors.JWTExpired)
    return new AppError("unauthorized", "The access token has expired. Get a new one from the identity provider.");
  if (e instanceof joseErrors.JWTClaimValidationFailed)
    return new AppError("unauthorized", `The access token was rejected: ${e.claim} is not valid here.`);
  if (e instanceof joseErrors.JWKSNoMatchingKey)
    return new AppError("unauthorized", "The access token is signed with a key the identity provider does not publish.");
  if (e instanceof joseErrors.JOSEAlgNotAllowed)
    return new AppError("unauthorized", "The access token uses an algorithm that is not allowed.");
  if (e instanceof joseErrors.JOSEError) return new AppError("unauthorized", "The access token is malformed or its signature is invalid.");
  return new AppError("unavailable", "Could not reach the identity provider to check the token. Try again shortly.");
}

/** `Authorization: Bearer <token>` → the token, or undefined. Tokens in query strings are never read. */
export function bearerFromHeader(header: string | null | undefined): string | undefined {
  const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header ?? "");
  return m?.[1];
}
