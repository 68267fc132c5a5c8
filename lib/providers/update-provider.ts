import { auditInTransaction } from "@/lib/audit/record-audit";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";
import { parseProviderInput, slugTaken } from "@/lib/providers/parse-provider-input";
import { defaultScopes, type ProviderInput } from "@/lib/providers/provider-input-schema";
import { publicProviderSelect, toPublicProvider, type Actor, type PublicProvider } from "@/lib/providers/public-provider";
import { resolveEndpoints } from "@/lib/providers/resolve-endpoints";

/** Replaces the provider's settings. No client secret in the input keeps the stored one. */
export async function updateProvider(id: string, input: ProviderInput, actor: Actor): Promise<PublicProvider> {
  const p = parseProviderInput(input);
  const endpoints = await resolveEndpoints(p);
  const scopes = p.scopes ?? defaultScopes[p.kind];
  const secret = p.clientSecret
    ? {
        clientSecretEnc: getKeyring().encrypt(p.clientSecret, { table: "Provider", id, field: "clientSecretEnc" }),
        clientSecretSetAt: new Date(),
      }
    : {};
  try {
    const row = await getDb().$transaction(async (tx) => {
      const before = await tx.provider.findUnique({ where: { id }, select: { slug: true } });
      if (!before) throw new AppError("not_found", "There is no such provider.");
      const updated = await tx.provider.update({
        where: { id },
        data: {
          slug: p.slug,
          kind: p.kind,
          displayName: p.displayName,
          ...endpoints,
          clientId: p.clientId,
          ...secret,
          scopes,
          enabled: p.enabled,
        },
        select: publicProviderSelect,
      });
      await auditInTransaction(tx, {
        action: "admin.provider.update",
        outcome: "success",
        userId: actor.userId,
        provider: p.slug,
        detail: { kind: p.kind, previousSlug: before.slug, scopes, enabled: p.enabled, secretChanged: Boolean(p.clientSecret) },
      });
      return updated;
    });
    await emitChange({ kind: "provider", id });
    return toPublicProvider(row);
  } catch (e) {
    throw slugTaken(e, p.slug) ?? e;
  }
}
