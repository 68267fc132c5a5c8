import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import type { LinkFailureReason } from "@/lib/links/link-failure";
import { linkStateId } from "@/lib/links/start-link";

export type ConsumedState = { ok: true; codeVerifier: string; returnTo: string | null } | { ok: false; reason: LinkFailureReason };

/**
 * Takes the pending link request out of the database: single use, because the delete is the read
 * (two concurrent callbacks cannot both get it), and only for the user and provider it was made for.
 */
export async function consumeLinkState(opts: { state: string; userId: string; providerId: string }): Promise<ConsumedState> {
  const id = linkStateId(opts.state);
  const db = getDb();
  const row = await db.linkState
    .delete({
      where: { id, userId: opts.userId, providerId: opts.providerId },
      select: { codeVerifierEnc: true, returnTo: true, expiresAt: true },
    })
    .catch((e: unknown) => {
      if ((e as { code?: unknown }).code === "P2025") return null; // no such row for this user and provider
      throw e;
    });
  if (!row) {
    // Left in place: it belongs to someone else, who may still finish it.
    const other = await db.linkState.findUnique({ where: { id }, select: { userId: true } });
    return { ok: false, reason: other && other.userId !== opts.userId ? "state_foreign" : "state_unknown" };
  }
  if (row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: "state_expired" };
  const codeVerifier = getKeyring().decrypt(row.codeVerifierEnc, { table: "LinkState", id, field: "codeVerifierEnc" });
  return { ok: true, codeVerifier, returnTo: row.returnTo };
}
