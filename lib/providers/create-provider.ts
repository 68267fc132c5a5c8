import { randomUUID } from "node:crypto";
import { auditInTransaction } from "@/lib/audit/record-audit";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";
import { parseProviderInput, slugTaken } from "@/lib/providers/parse-provider-input";
import { defaultScopes, type ProviderInput } from "@/lib/providers/provider-input-schema";
import { publicProviderSelect, toPublicProvider, type Actor, type PublicProvider } from "@/lib/providers/public-provider";
import { resolveEndpoints } from "@/lib/providers/resolve-endpoints";

export async function createProvider(input: ProviderInput, actor: Actor): Promise<PublicProvider> {
  const p = parseProviderInput(input);
  if (!p.clientSecret) throw new AppError("validation", "A new provider needs its client secret.", { clientSecret: ["is required"] });
  const endpoints = await resolveEndpoints(p);
  // The id is made here because the secret's ciphertext is bound to it.
  const id = randomUUID();
  const scopes = p.scopes ?? defaultScopes[p.kind];
  try {
    const row = await getDb().$transaction(async (tx) => {
      const created = await tx.provider.create({
        data: {
          id,
          slug: p.slug,
          kind: p.kind,
          displayName: p.displayName,
          ...endpoints,
          clientId: p.clientId,
          clientSecretEnc: getKeyring().encrypt(p.clientSecret!, { table: "Provider", id, field: "clientSecretEnc" }),
          clientSecretSetAt: new Date(),
          scopes,
          enabled: p.enabled,
        },
        select: publicProviderSelect,
      });
      await auditInTransaction(tx, {
        action: "admin.provider.create",
        outcome: "success",
        userId: actor.userId,
        provider: p.slug,
        detail: { kind: p.kind, displayName: p.displayName, scopes, enabled: p.enabled },
      });
      return created;
    });
    await emitChange({ kind: "provider", id });
    return toPublicProvider(row);
  } catch (e) {
    throw slugTaken(e, p.slug) ?? e;
  }
}
