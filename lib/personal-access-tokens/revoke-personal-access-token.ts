// Revokes a personal access token: its user's own (scoped by userId in the query), or any, by an
// admin. The row keeps revokedAt, which every replica's gateway polls, so the token is refused
// everywhere within OAUTH_REVOCATION_POLL_MS, and on this replica at once.
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { markTokenRevoked } from "@/lib/personal-access-tokens/accepted-tokens";

export async function revokePersonalAccessToken(opts: {
  id: string;
  /** Only this user's token (the portal); absent for an admin. */
  userId?: string;
  actor: { userId: string; admin?: boolean };
}): Promise<void> {
  const db = getDb();
  const where = { id: opts.id, ...(opts.userId ? { userId: opts.userId } : {}), revokedAt: null };
  const { count } = await db.personalAccessToken.updateMany({ where, data: { revokedAt: new Date(), revokedBy: opts.actor.userId } });
  if (count === 0) throw new AppError("not_found", "No such token, or it is already revoked. Reload the list.");
  const row = await db.personalAccessToken.findUniqueOrThrow({
    where: { id: opts.id },
    select: { tokenHash: true, expiresAt: true, name: true, userId: true },
  });
  markTokenRevoked(row.tokenHash, row.expiresAt);
  recordAudit({
    action: opts.actor.admin ? "admin.personal_access_token.revoke" : "personal_access_token.revoke",
    outcome: "success",
    userId: opts.actor.userId,
    clientId: `pat:${opts.id}`,
    clientName: row.name,
    detail: opts.actor.admin ? { tokenUserId: row.userId } : undefined,
  });
}
