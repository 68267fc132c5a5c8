// Writes a plan inside one transaction: providers first (a backend may name a new one), then backends,
// each with its audit row. Secrets are encrypted bound to their row, as the REST API does.
import { randomUUID } from "node:crypto";
import { auditInTransaction } from "@/lib/audit/record-audit";
import { secretAad, storeAuth } from "@/lib/backends/auth-config";
import { needsSecret, SECRET_FIELD, type BackendAuth } from "@/lib/backends/backend-schema";
import { MANAGED_BY_FILE, type Plan } from "@/lib/config-as-code/plan-changes";
import type { BackendSpec, ProviderSpec } from "@/lib/config-as-code/read-configuration";
import { getKeyring } from "@/lib/crypto/keyring";
import type { Prisma } from "@/lib/db/generated/client";
import type { ProviderEndpoints } from "@/lib/providers/resolve-endpoints";
import { PAT_SETTING_KEY } from "@/lib/settings/personal-access-tokens-setting";

export interface Written {
  providers: string[];
  backends: string[];
  /** The personal access tokens switch, when the plan changed it. */
  personalAccessTokens?: boolean;
}

const providerAad = (id: string) => ({ table: "Provider", id, field: "clientSecretEnc" });
const json = (v: unknown) => (v ?? undefined) as Prisma.InputJsonValue | undefined;

export async function writePlannedChanges(
  tx: Prisma.TransactionClient,
  plan: Plan,
  endpoints: Map<string, ProviderEndpoints>,
  providerIds: Map<string, string>,
): Promise<Written> {
  const written: Written = { providers: [], backends: [] };
  const keyring = getKeyring();
  for (const change of plan.providers) {
    const id = change.id ?? randomUUID();
    const spec = change.spec as ProviderSpec;
    const data = {
      slug: spec.slug,
      kind: spec.kind,
      displayName: spec.displayName,
      ...endpoints.get(spec.slug)!,
      clientId: spec.clientId,
      scopes: spec.scopes ?? [],
      enabled: spec.enabled,
      managedBy: MANAGED_BY_FILE,
      clientSecretRef: json(change.secretRef),
      ...(change.secret === undefined
        ? {}
        : { clientSecretEnc: keyring.encrypt(change.secret, providerAad(id)), clientSecretSetAt: new Date() }),
    };
    if (change.action === "create") await tx.provider.create({ data: { id, ...data } });
    else await tx.provider.update({ where: { id }, data });
    providerIds.set(spec.slug, id);
    await auditInTransaction(tx, {
      action: `admin.provider.${change.action}`,
      outcome: "success",
      provider: spec.slug,
      detail: { source: "file", changed: change.fields.map((f) => f.field) },
    });
    written.providers.push(id);
  }
  for (const change of plan.backends) {
    const id = change.id ?? randomUUID();
    const { auth, ...spec } = change.spec as BackendSpec;
    const input = { ...auth } as Record<string, unknown>;
    if (auth.mode === "linked_account") {
      const providerId = providerIds.get(String(auth.provider));
      if (!providerId) throw new Error(`backend ${spec.slug}: no provider "${String(auth.provider)}" in the file or in Gatehouse`);
      delete input.provider;
      input.providerId = providerId;
    }
    if (needsSecret(auth.mode)) input[SECRET_FIELD[auth.mode]] = change.secret;
    const stored = storeAuth(input as BackendAuth);
    const data = {
      ...spec,
      authMode: stored.authMode,
      authConfig: stored.authConfig,
      providerId: stored.providerId,
      managedBy: MANAGED_BY_FILE,
      secretRef: json(change.secretRef),
      ...(needsSecret(stored.authMode)
        ? stored.secret === undefined
          ? {}
          : { secretEnc: keyring.encrypt(stored.secret, secretAad(id)), secretSetAt: new Date() }
        : { secretEnc: null, secretSetAt: null }),
    };
    if (change.action === "create") await tx.backend.create({ data: { id, ...data } });
    else await tx.backend.update({ where: { id }, data });
    await auditInTransaction(tx, {
      action: `admin.backend.${change.action}`,
      outcome: "success",
      backend: spec.slug,
      detail: { source: "file", changed: change.fields.map((f) => f.field) },
    });
    written.backends.push(id);
  }
  for (const change of plan.settings) {
    const enabled = change.after as boolean;
    const value = { enabled };
    await tx.setting.upsert({
      where: { key: PAT_SETTING_KEY },
      create: { key: PAT_SETTING_KEY, value, updatedBy: "file" },
      update: { value, updatedBy: "file" },
    });
    await auditInTransaction(tx, {
      action: "admin.personal_access_tokens.setting",
      outcome: "success",
      detail: { enabled, source: "file" },
    });
    written.personalAccessTokens = enabled;
  }
  return written;
}
