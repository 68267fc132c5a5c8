// The one way a grant is revoked from outside oidc-provider (by its user, or by an admin one at a time
// or for a whole client): the revocation is recorded first, so every replica's gateway refuses the
// grant's access tokens within OAUTH_REVOCATION_POLL_MS, then the grant and everything it issued that
// is stored (codes, refresh tokens, sessions' grant references) are deleted.
import { getDb, type Prisma } from "@/lib/db";
import { recordRevokedGrant } from "@/lib/oauth-server/revoked-grants";

/** Revokes the grants matching `where` (kind Grant is implied); returns their ids. */
export async function revokeGrants(where: Prisma.OAuthModelWhereInput): Promise<string[]> {
  const db = getDb();
  const grants = await db.oAuthModel.findMany({ where: { ...where, kind: "Grant" }, select: { id: true } });
  const ids = grants.map((g) => g.id);
  if (ids.length === 0) return ids;
  for (const id of ids) await recordRevokedGrant(id);
  await db.oAuthModel.deleteMany({ where: { kind: "Grant", id: { in: ids } } });
  await db.oAuthModel.deleteMany({ where: { grantId: { in: ids } } });
  return ids;
}
