import { auditInTransaction } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";
import type { Actor } from "@/lib/providers/public-provider";
import { providerOAuthSelect, queueRevocation } from "@/lib/revocations/queue-revocation";
import { runRevocations } from "@/lib/revocations/run-revocations";

/**
 * Deletes a provider with its links and pending link requests. Refuses (conflict) while a backend
 * still uses it, naming those backends. Every link's grant is owed a revocation at the provider:
 * queued in the outbox in the same transaction, sent by the sweep (lib/revocations).
 */
export async function deleteProvider(id: string, actor: Actor): Promise<void> {
  await getDb()
    .$transaction(async (tx) => {
      const provider = await tx.provider.findUnique({
        where: { id },
        select: {
          slug: true,
          backends: { select: { slug: true }, orderBy: { slug: "asc" } },
          _count: { select: { linkedAccounts: true } },
        },
      });
      if (!provider) throw new AppError("not_found", "There is no such provider.");
      if (provider.backends.length) {
        const names = provider.backends.map((b) => b.slug).join(", ");
        throw new AppError(
          "conflict",
          `The provider "${provider.slug}" is still used by these backends: ${names}. Change or delete them first.`,
        );
      }
      const oauth = await tx.provider.findUniqueOrThrow({ where: { id }, select: providerOAuthSelect });
      const links = await tx.linkedAccount.findMany({
        where: { providerId: id },
        select: { id: true, userId: true, accessTokenEnc: true, refreshTokenEnc: true, expiresAt: true },
      });
      for (const link of links) await queueRevocation(tx, link, oauth);
      await tx.provider.delete({ where: { id } });
      await auditInTransaction(tx, {
        action: "admin.provider.delete",
        outcome: "success",
        userId: actor.userId,
        provider: provider.slug,
        detail: { linksDeleted: provider._count.linkedAccounts },
      });
    })
    .catch((e: unknown) => {
      // A backend that started using it after the check above (foreign key, onDelete: Restrict).
      if ((e as { code?: unknown } | null)?.code === "P2003")
        throw new AppError("conflict", "The provider is used by a backend; change or delete that backend first.");
      throw e;
    });
  await emitChange({ kind: "provider", id });
  void runRevocations().catch(() => undefined);
}
