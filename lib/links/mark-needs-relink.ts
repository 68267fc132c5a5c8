import { auditInTransaction } from "@/lib/audit/record-audit";
import { KeyringError } from "@/lib/crypto/keyring";
import type { Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";

/**
 * Drops the tokens and marks the link `needs_relink` with the reason the page shows. Runs inside the
 * refresh transaction or on its own (a client works as well as a transaction client).
 */
export async function markNeedsRelink(
  db: Prisma.TransactionClient,
  l: { linkId: string; userId: string; providerSlug: string; reason: string },
): Promise<void> {
  const { count } = await db.linkedAccount.updateMany({
    where: { id: l.linkId, userId: l.userId },
    data: {
      status: "needs_relink",
      statusReason: l.reason,
      accessTokenEnc: null,
      refreshTokenEnc: null,
      expiresAt: null,
      version: { increment: 1 },
    },
  });
  if (count)
    await auditInTransaction(db, {
      action: "relink_needed",
      outcome: "failure",
      userId: l.userId,
      provider: l.providerSlug,
      detail: { reason: l.reason },
    });
}

export function linkRequired(message: string): AppError {
  return new AppError("link_required", message);
}

/** What a token that fails to decrypt means. A missing key is the operator's to fix, so the link is kept. */
export function unreadableReason(e: unknown, providerName: string): { keep: true; error: AppError } | { keep: false; reason: string } {
  if (e instanceof KeyringError && e.code === "unknown_kid") {
    return {
      keep: true,
      error: new AppError(
        "unavailable",
        `The key that encrypted your ${providerName} tokens is missing from GATEHOUSE_KEYS; tell your administrator.`,
      ),
    };
  }
  return {
    keep: false,
    reason: `The stored ${providerName} tokens could not be decrypted (they were altered or damaged), so they were discarded. Link ${providerName} again.`,
  };
}
