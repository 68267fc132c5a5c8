// What a personal access token looks like: a fixed prefix that secret scanners can match
// (`gatehouse_pat_`), then 32 random bytes in base64url. Only the SHA-256 of the whole token is
// stored; it has 256 bits of entropy, so a fast hash is enough (nothing to brute-force).
import { createHash, randomBytes } from "node:crypto";

export const PAT_PREFIX = "gatehouse_pat_";
const BODY = /^[A-Za-z0-9_-]{43}$/;

export function generatePersonalAccessToken(): string {
  return PAT_PREFIX + randomBytes(32).toString("base64url");
}

export function hashPersonalAccessToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The prefix alone decides which verifier gets a bearer token; the shape is checked before any lookup. */
export function isPersonalAccessToken(token: string): boolean {
  return token.startsWith(PAT_PREFIX);
}

export function hasPersonalAccessTokenShape(token: string): boolean {
  return isPersonalAccessToken(token) && BODY.test(token.slice(PAT_PREFIX.length));
}
