// The configuration stored in the database, in the file's own terms, so it can be compared with a file
// (apply) or written as one (export).
import { defaultTokenEndpoint, readStoredAuth } from "@/lib/backends/auth-config";
import type { FileBackend, FileProvider, SecretRef } from "@/lib/config-as-code/file-schema";
import type { Prisma } from "@/lib/db/generated/client";
import { PAT_SETTING_KEY, patSettingValue } from "@/lib/settings/personal-access-tokens-setting";

type Db = Pick<Prisma.TransactionClient, "provider" | "backend" | "setting">;

/** A stored object: its file form without the secret, the reference it was applied from, the ciphertext. */
export interface StoredObject<Spec> {
  id: string;
  managedBy: string | null;
  spec: Spec;
  secretRef: SecretRef | null;
  secretEnc: string | null;
}
export type ProviderSpec = Omit<FileProvider, "clientSecret">;
export type BackendSpec = Omit<FileBackend, "auth"> & { auth: Record<string, unknown> & { mode: FileBackend["auth"]["mode"] } };

export interface StoredConfiguration {
  providers: StoredObject<ProviderSpec>[];
  backends: StoredObject<BackendSpec>[];
  /** Only the settings that were ever set (by the console or a file); absent ones are at their default. */
  settings: { personalAccessTokens?: boolean };
}

const drop = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

function providerSpec(row: Prisma.ProviderGetPayload<object>): ProviderSpec {
  const head = { slug: row.slug, kind: row.kind, displayName: row.displayName, baseUrl: row.baseUrl ?? undefined };
  const endpoints =
    row.kind === "oauth2"
      ? {
          authorizationEndpoint: row.authorizationEndpoint,
          tokenEndpoint: row.tokenEndpoint,
          revocationEndpoint: row.revocationEndpoint ?? undefined,
          userinfoEndpoint: row.userinfoEndpoint ?? undefined,
        }
      : {};
  return drop({ ...head, ...endpoints, clientId: row.clientId, scopes: row.scopes, enabled: row.enabled }) as ProviderSpec;
}

function backendSpec(row: Prisma.BackendGetPayload<object>, providerSlugs: Map<string, string>): BackendSpec {
  const stored = readStoredAuth(row);
  const { mode, ...config } = stored as Record<string, string> & { mode: BackendSpec["auth"]["mode"] };
  const auth: BackendSpec["auth"] =
    mode === "linked_account"
      ? { mode, provider: providerSlugs.get(config.providerId!) ?? config.providerId }
      : drop({
          mode,
          ...config,
          tokenEndpoint: mode === "token_exchange" && config.tokenEndpoint === defaultTokenEndpoint() ? undefined : config.tokenEndpoint,
        });
  return {
    slug: row.slug,
    displayName: row.displayName,
    url: row.url,
    transport: row.transport as BackendSpec["transport"],
    timeoutMs: row.timeoutMs,
    toolPrefix: row.toolPrefix,
    toolAllow: row.toolAllow,
    toolDeny: row.toolDeny,
    visibleToRoles: row.visibleToRoles,
    visibleToGroups: row.visibleToGroups,
    inboundIssuer: row.inboundIssuer,
    inboundAudience: row.inboundAudience,
    auditArguments: row.auditArguments,
    enabled: row.enabled,
    auth,
  };
}

export async function readConfiguration(db: Db): Promise<StoredConfiguration> {
  const [providers, backends, patSetting] = await Promise.all([
    db.provider.findMany({ orderBy: { slug: "asc" } }),
    db.backend.findMany({ orderBy: { slug: "asc" } }),
    db.setting.findUnique({ where: { key: PAT_SETTING_KEY }, select: { value: true } }),
  ]);
  const providerSlugs = new Map(providers.map((p) => [p.id, p.slug]));
  return {
    providers: providers.map((p) => ({
      id: p.id,
      managedBy: p.managedBy,
      spec: providerSpec(p),
      secretRef: (p.clientSecretRef as SecretRef | null) ?? null,
      secretEnc: p.clientSecretEnc,
    })),
    backends: backends.map((b) => ({
      id: b.id,
      managedBy: b.managedBy,
      spec: backendSpec(b, providerSlugs),
      secretRef: (b.secretRef as SecretRef | null) ?? null,
      secretEnc: b.secretEnc,
    })),
    settings: patSetting ? { personalAccessTokens: patSettingValue(patSetting.value) } : {},
  };
}
