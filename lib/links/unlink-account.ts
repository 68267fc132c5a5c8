// Flow "Unlink": the tokens leave the database, then are revoked at the provider; a failed
// revocation is recorded and returned, and the local delete stands either way. The row is deleted
// under its lock first, so no refresh can rotate the tokens between reading and revoking them, and
// no lock is held while the provider answers. Serves the portal and an admin revoking a user's link.
import { auditInTransaction } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";
import { decryptLinkToken } from "@/lib/links/link-tokens";
import { invalidateLink } from "@/lib/links/token-cache";
import { getProviderOAuth } from "@/lib/providers/get-provider-oauth";
import { revokeTokens } from "@/lib/providers/revoke-tokens";

export async function unlinkAccount(opts: {
  userId: string;
  providerId: string;
  actor: { userId: string | null };
}): Promise<{ revoked: boolean; revokeError?: string }> {
  const { userId, providerId } = opts;
  const p = await getProviderOAuth({ id: providerId });
  const db = getDb();
  const removed = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "LinkedAccount" WHERE "userId" = ${userId} AND "providerId" = ${providerId} FOR UPDATE`;
    const row = await tx.linkedAccount.findFirst({
      where: { userId, providerId },
      select: { id: true, externalName: true, accessTokenEnc: true, refreshTokenEnc: true },
    });
    if (!row) return null;
    await tx.linkedAccount.deleteMany({ where: { id: row.id, userId } });
    return row;
  });
  if (!removed) throw new AppError("not_found", `No ${p.displayName} account is linked.`);
  invalidateLink(userId, providerId);
  await emitChange({ kind: "link", userId, providerId });

  let outcome: Awaited<ReturnType<typeof revokeTokens>>;
  try {
    const accessToken = removed.accessTokenEnc ? decryptLinkToken(removed.id, "accessTokenEnc", removed.accessTokenEnc) : undefined;
    const refreshToken = removed.refreshTokenEnc ? decryptLinkToken(removed.id, "refreshTokenEnc", removed.refreshTokenEnc) : undefined;
    outcome = await revokeTokens(p, { accessToken, refreshToken });
  } catch {
    outcome = {
      revoked: false,
      error: `The stored tokens could not be decrypted, so they could not be revoked; remove Gatehouse's access in your ${p.displayName} account settings.`,
    };
  }
  const revokeError = outcome.revoked ? undefined : outcome.error;
  await auditInTransaction(db, {
    action: "unlink",
    outcome: "success",
    userId,
    provider: p.slug,
    detail: {
      externalName: removed.externalName,
      revoked: outcome.revoked,
      ...(revokeError ? { reason: revokeError } : {}),
      ...(opts.actor.userId !== userId ? { by: opts.actor.userId ?? "system" } : {}),
    },
  });
  return outcome.revoked ? { revoked: true } : { revoked: false, revokeError };
}
