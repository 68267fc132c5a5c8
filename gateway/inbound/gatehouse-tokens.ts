// Access tokens from Gatehouse's own authorization server at /api/mcp and /api/mcp/<slug>: verified
// (and remembered) like any bearer token, for the exact endpoint URL, then refused when their grant
// has been revoked, on every replica within the revocation poll interval.
import { resourceUrl } from "@/gateway/inbound/protected-resource";
import type { VerifiedTokens } from "@/gateway/inbound/verified-tokens";
import type { VerifiedBearer } from "@/lib/auth/bearer";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { gatehouseTokenVerifier } from "@/lib/oauth-server/access-token-verifier";
import { isGrantRevoked } from "@/lib/oauth-server/revoked-grants";

export function isGatehouseIssuer(issuer: string | undefined): boolean {
  return issuer === env().APP_URL;
}

/** Synchronous when the token was verified before and the revocation set is loaded. */
export function verifyGatehouseToken(
  tokens: VerifiedTokens,
  token: string,
  slug: string | undefined,
): VerifiedBearer | Promise<VerifiedBearer> {
  const verified = tokens.verify(gatehouseTokenVerifier(resourceUrl(slug)), token);
  return verified instanceof Promise ? verified.then(notRevoked) : notRevoked(verified);
}

function notRevoked(verified: VerifiedBearer): VerifiedBearer | Promise<VerifiedBearer> {
  const revoked = isGrantRevoked(String(verified.claims.gid));
  if (revoked === false) return verified;
  if (revoked === true) throw revokedError();
  return revoked.then((r) => {
    if (r) throw revokedError();
    return verified;
  });
}

const revokedError = () => new AppError("unauthorized", "This client's access was revoked. Connect the client to Gatehouse again.");
