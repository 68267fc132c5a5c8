import { getDb } from "@/lib/db";
import { decryptLinkToken } from "@/lib/links/link-tokens";
import { unreadableReason } from "@/lib/links/mark-needs-relink";
import { publicLinkSelect, toPublicLink, type PublicLink } from "@/lib/links/public-link";

/**
 * The user's links, for the portal and the admin console. Tokens never leave this function, but
 * each is test-decrypted, so a damaged one shows as needing a re-link before a tool call finds out.
 */
export async function findLinksForUser(userId: string): Promise<PublicLink[]> {
  const rows = await getDb().linkedAccount.findMany({
    where: { userId },
    select: { ...publicLinkSelect, accessTokenEnc: true, refreshTokenEnc: true },
    orderBy: { linkedAt: "asc" },
  });
  return rows.map(({ accessTokenEnc, refreshTokenEnc, ...row }) => {
    const link = toPublicLink(row);
    if (link.status !== "active") return link;
    try {
      if (accessTokenEnc) decryptLinkToken(row.id, "accessTokenEnc", accessTokenEnc);
      if (refreshTokenEnc) decryptLinkToken(row.id, "refreshTokenEnc", refreshTokenEnc);
      return link;
    } catch (e) {
      const u = unreadableReason(e, row.provider.displayName);
      return { ...link, status: "needs_relink", statusReason: u.keep ? u.error.message : u.reason };
    }
  });
}
