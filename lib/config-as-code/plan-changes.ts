// What applying a file would change: one entry per provider or backend to create or update, each with
// the fields that differ. Objects in Gatehouse but not in the file are left alone (see README).
import { isDeepStrictEqual } from "node:util";
import { defaultTokenEndpoint } from "@/lib/backends/auth-config";
import { needsSecret, SECRET_FIELD } from "@/lib/backends/backend-schema";
import type { ConfigFile, SecretRef } from "@/lib/config-as-code/file-schema";
import type { BackendSpec, ProviderSpec, StoredConfiguration, StoredObject } from "@/lib/config-as-code/read-configuration";
import { resolveSecret, type SecretSources } from "@/lib/config-as-code/resolve-secret";
import { defaultScopes } from "@/lib/providers/provider-input-schema";

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface PlannedChange<Spec = ProviderSpec | BackendSpec> {
  object: "provider" | "backend";
  slug: string;
  action: "create" | "update";
  /** The stored row's id, for updates. */
  id?: string;
  spec: Spec;
  secret: string | undefined;
  secretRef: SecretRef | null;
  fields: FieldChange[];
}

export interface Plan {
  providers: PlannedChange<ProviderSpec>[];
  backends: PlannedChange<BackendSpec>[];
  /** Settings the file sets to another value than the stored (or default) one. */
  settings: FieldChange[];
}

export const MANAGED_BY_FILE = "file";

const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const describeRef = (ref: SecretRef | null) =>
  !ref ? "(set in the console)" : "env" in ref ? `{ env: ${ref.env} }` : `{ file: ${ref.file} }`;

function diffSpecs(before: Record<string, unknown> | undefined, after: Record<string, unknown>, prefix = ""): FieldChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  return [...keys].flatMap((key): FieldChange[] => {
    const a = before?.[key];
    const b = after[key];
    if (key === "auth" && a && b && typeof a === "object" && typeof b === "object") {
      return diffSpecs(a as Record<string, unknown>, b as Record<string, unknown>, "auth.");
    }
    return isDeepStrictEqual(a, b) ? [] : [{ field: prefix + key, before: a, after: b }];
  });
}

function plan<Spec extends { slug: string }>(
  object: PlannedChange["object"],
  desired: { spec: Spec; secretRef: SecretRef | null; secretField: string | null }[],
  stored: StoredObject<Spec>[],
  decrypt: (o: StoredObject<Spec>) => string | null,
  sources: SecretSources,
): PlannedChange<Spec>[] {
  const bySlug = new Map(stored.map((s) => [s.spec.slug, s]));
  return desired.flatMap(({ spec, secretRef, secretField }, index): PlannedChange<Spec>[] => {
    const current = bySlug.get(spec.slug);
    const secret = secretRef && secretField ? resolveSecret(secretRef, sources, `${object}s[${index}].${secretField}`) : undefined;
    const fields = diffSpecs(current?.spec as Record<string, unknown> | undefined, spec as Record<string, unknown>);
    if (current && secretField) {
      if (secret !== undefined && (!current.secretEnc || decrypt(current) !== secret))
        fields.push({ field: secretField, before: "(secret)", after: "(new secret)" });
      if (!isDeepStrictEqual(current.secretRef, secretRef))
        fields.push({ field: `${secretField} source`, before: describeRef(current.secretRef), after: describeRef(secretRef) });
    }
    if (current && current.managedBy !== MANAGED_BY_FILE)
      fields.push({ field: "managedBy", before: current.managedBy ?? "(console)", after: MANAGED_BY_FILE });
    if (current && fields.length === 0) return [];
    return [{ object, slug: spec.slug, action: current ? "update" : "create", id: current?.id, spec, secret, secretRef, fields }];
  });
}

/** Compares a parsed file with the stored configuration; resolves each secret reference on the way. */
export function planChanges(
  file: ConfigFile,
  stored: StoredConfiguration,
  decrypt: { provider: (o: StoredObject<ProviderSpec>) => string | null; backend: (o: StoredObject<BackendSpec>) => string | null },
  sources: SecretSources,
): Plan {
  const providers = file.providers.map(({ clientSecret, ...p }) => ({
    spec: defined({ ...p, scopes: p.scopes ?? defaultScopes[p.kind] }) as ProviderSpec,
    secretRef: clientSecret,
    secretField: "clientSecret",
  }));
  const backends = file.backends.map(({ auth, ...b }) => {
    const secretField = needsSecret(auth.mode) ? (SECRET_FIELD[auth.mode] as string) : null;
    const { [secretField ?? ""]: secretRef, ...config } = auth as Record<string, unknown>;
    if (config.mode === "token_exchange" && !config.tokenEndpoint) delete config.tokenEndpoint;
    if (config.mode === "token_exchange" && config.tokenEndpoint === defaultTokenEndpoint()) delete config.tokenEndpoint;
    return {
      spec: { ...b, auth: defined(config) } as BackendSpec,
      secretRef: (secretRef as SecretRef | undefined) ?? null,
      secretField: secretField && `auth.${secretField}`,
    };
  });
  const settings: FieldChange[] = [];
  const pat = file.settings.personalAccessTokens;
  // Absent from the table means on (lib/settings); writing the default explicitly is still a change, so export shows it.
  if (pat !== undefined && stored.settings.personalAccessTokens !== pat)
    settings.push({ field: "personalAccessTokens", before: stored.settings.personalAccessTokens ?? "(default: true)", after: pat });
  return {
    providers: plan("provider", providers, stored.providers, decrypt.provider, sources),
    backends: plan("backend", backends, stored.backends, decrypt.backend, sources),
    settings,
  };
}
