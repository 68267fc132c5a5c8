// Flow "Unlink": the tokens leave the database and a revocation owed to the provider enters the
// outbox in the same transaction (under the row's lock, so no refresh rotates them in between), so
// the provider is told even if this process dies right after the commit. The first attempt is
// made at once, outside the transaction; a refused or unanswered one is retried by any replica
// (lib/revocations) until the provider confirms or the tokens have expired. Serves the portal and
// an admin revoking a user's link.
import { auditInTransaction } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";
import { invalidateLink } from "@/lib/links/token-cache";
import { log } from "@/lib/log";
import { deliverRevocation } from "@/lib/revocations/deliver-revocation";
import { providerOAuthSelect, queueRevocation } from "@/lib/revocations/queue-revocation";

export async function unlinkAccount(opts: {
  userId: string;
  providerId: string;
  actor: { userId: string | null };
}): Promise<{ revoked: boolean; revokeError?: string; retrying?: boolean }> {
  const { userId, providerId } = opts;
  const removed = await getDb().$transaction(async (tx) => {
    const provider = await tx.provider.findUnique({ where: { id: providerId }, select: providerOAuthSelect });
    if (!provider) throw new AppError("not_found", "There is no such provider.");
    await tx.$queryRaw`SELECT id FROM "LinkedAccount" WHERE "userId" = ${userId} AND "providerId" = ${providerId} FOR UPDATE`;
    const row = await tx.linkedAccount.findFirst({
      where: { userId, providerId },
      select: { id: true, userId: true, externalName: true, accessTokenEnc: true, refreshTokenEnc: true, expiresAt: true },
    });
    if (!row) throw new AppError("not_found", `No ${provider.displayName} account is linked.`);
    await tx.linkedAccount.deleteMany({ where: { id: row.id, userId } });
    const outboxId = await queueRevocation(tx, row, provider);
    await auditInTransaction(tx, {
      action: "unlink",
      outcome: "success",
      userId,
      provider: provider.slug,
      detail: {
        externalName: row.externalName,
        revocation: outboxId ? "queued" : "nothing stored",
        ...(opts.actor.userId !== userId ? { by: opts.actor.userId ?? "system" } : {}),
      },
    });
    return { outboxId, providerName: provider.displayName };
  });
  invalidateLink(userId, providerId);
  await emitChange({ kind: "link", userId, providerId });

  if (!removed.outboxId) return { revoked: false, revokeError: "No tokens were stored, so there was nothing to revoke." };
  const delivery = await deliverRevocation(removed.outboxId).catch((err: unknown) => {
    log.warn({ err: (err as Error).message }, "the first revocation attempt failed; the sweep retries it");
    return { kind: "retrying" as const, error: `${removed.providerName} could not be asked yet` };
  });
  if (delivery.kind === "revoked") return { revoked: true };
  if (delivery.kind === "gave_up") return { revoked: false, revokeError: delivery.error };
  if (delivery.kind === "busy") return { revoked: false, retrying: true, revokeError: "The revocation is being sent." };
  return { revoked: false, retrying: true, revokeError: `${delivery.error}. Gatehouse keeps trying.` };
}
