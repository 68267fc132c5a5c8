// Flow "Link", the write: the user's link to this provider is created or replaced, tokens
// encrypted, audited in the same transaction. An external account already linked to another
// Gatehouse user is refused.
import { randomUUID } from "node:crypto";
import { auditInTransaction } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { emitChange } from "@/lib/events";
import { encryptLinkTokens } from "@/lib/links/link-tokens";
import { publicLinkSelect, toPublicLink, type PublicLink } from "@/lib/links/public-link";
import { invalidateLink } from "@/lib/links/token-cache";

export interface NewLink {
  userId: string;
  providerId: string;
  providerSlug: string;
  externalId: string;
  externalName: string;
  scopes: string[];
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
}

export type StoreLinkResult =
  | { ok: true; link: PublicLink; replaced: { id: string; accessTokenEnc: string | null; refreshTokenEnc: string | null } | null }
  | { ok: false; reason: "account_taken" };

export async function storeLink(l: NewLink): Promise<StoreLinkResult> {
  try {
    const result = await getDb().$transaction(async (tx): Promise<StoreLinkResult> => {
      const owner = await tx.linkedAccount.findUnique({
        where: { providerId_externalId: { providerId: l.providerId, externalId: l.externalId } },
        select: { userId: true },
      });
      if (owner && owner.userId !== l.userId) return { ok: false, reason: "account_taken" };
      const existing = await tx.linkedAccount.findUnique({
        where: { userId_providerId: { userId: l.userId, providerId: l.providerId } },
        select: { id: true, accessTokenEnc: true, refreshTokenEnc: true },
      });
      const id = existing?.id ?? randomUUID();
      const fields = {
        externalId: l.externalId,
        externalName: l.externalName,
        scopes: l.scopes,
        ...encryptLinkTokens(id, l),
        expiresAt: l.expiresAt,
        status: "active",
        statusReason: null,
        linkedAt: new Date(),
        refreshedAt: null,
      };
      const row = existing
        ? await tx.linkedAccount.update({
            where: { id, userId: l.userId },
            data: { ...fields, version: { increment: 1 } },
            select: publicLinkSelect,
          })
        : await tx.linkedAccount.create({ data: { id, userId: l.userId, providerId: l.providerId, ...fields }, select: publicLinkSelect });
      await auditInTransaction(tx, {
        action: "link",
        outcome: "success",
        userId: l.userId,
        provider: l.providerSlug,
        detail: { externalName: l.externalName, scopes: l.scopes, relink: Boolean(existing) },
      });
      return { ok: true, link: toPublicLink(row), replaced: existing };
    });
    if (result.ok) {
      invalidateLink(l.userId, l.providerId);
      await emitChange({ kind: "link", userId: l.userId, providerId: l.providerId });
    }
    return result;
  } catch (e) {
    // Another user linked the same external account at the same moment.
    if ((e as { code?: unknown }).code === "P2002") return { ok: false, reason: "account_taken" };
    throw e;
  }
}
