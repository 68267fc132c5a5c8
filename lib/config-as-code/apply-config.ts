import { secretAad } from "@/lib/backends/auth-config";
import { checkOutboundUrls } from "@/lib/config-as-code/check-outbound-urls";
import { parseConfigFile } from "@/lib/config-as-code/parse-config-file";
import { planChanges, type Plan } from "@/lib/config-as-code/plan-changes";
import { readConfiguration, type StoredObject } from "@/lib/config-as-code/read-configuration";
import type { SecretSources } from "@/lib/config-as-code/resolve-secret";
import { writePlannedChanges } from "@/lib/config-as-code/write-planned-changes";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { emitChange } from "@/lib/events";
import { setPersonalAccessTokensAccepted } from "@/lib/personal-access-tokens/accepted-tokens";
import { resolveEndpoints, type ProviderEndpoints } from "@/lib/providers/resolve-endpoints";

function decryptOr(ciphertext: string | null, aad: { table: string; id: string; field: string }): string | null {
  if (!ciphertext) return null;
  try {
    return getKeyring().decrypt(ciphertext, aad);
  } catch {
    return null; // undecryptable (a retired key): treated as changed, so apply rewrites it
  }
}
const decrypt = {
  provider: (o: StoredObject<unknown>) => decryptOr(o.secretEnc, { table: "Provider", id: o.id, field: "clientSecretEnc" }),
  backend: (o: StoredObject<unknown>) => decryptOr(o.secretEnc, secretAad(o.id)),
};

/**
 * Applies a configuration file: parse and validate (line and field named), resolve secret references,
 * compare with the database, and write every change in ONE transaction, or none with `dryRun`.
 * Applying the same file again changes nothing.
 */
export async function applyConfig(text: string, options: { file?: string; dryRun?: boolean; sources: SecretSources }): Promise<Plan> {
  const file = parseConfigFile(text, options.file);
  checkOutboundUrls(file);
  const db = getDb();
  if (options.dryRun) return planChanges(file, await readConfiguration(db), decrypt, options.sources);

  // Endpoints may need a discovery fetch: before the transaction, not inside it.
  const endpoints = new Map<string, ProviderEndpoints>();
  for (const { clientSecret: _secret, ...p } of file.providers)
    endpoints.set(p.slug, await resolveEndpoints({ ...p, clientSecret: undefined }));

  const plan = await db.$transaction(async (tx) => {
    const stored = await readConfiguration(tx);
    const planned = planChanges(file, stored, decrypt, options.sources);
    const providerIds = new Map(stored.providers.map((p) => [p.spec.slug, p.id]));
    const written = await writePlannedChanges(tx, planned, endpoints, providerIds);
    return { planned, written };
  });
  for (const id of plan.written.providers) emitChange({ kind: "provider", id });
  for (const id of plan.written.backends) emitChange({ kind: "backend", id });
  // Other replicas learn the switch from their poll (lib/personal-access-tokens/accepted-tokens.ts).
  if (plan.written.personalAccessTokens !== undefined) setPersonalAccessTokensAccepted(plan.written.personalAccessTokens);
  return plan.planned;
}
