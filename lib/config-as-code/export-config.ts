import { isDeepStrictEqual } from "node:util";
import YAML from "yaml";
import { needsSecret, SECRET_FIELD } from "@/lib/backends/backend-schema";
import type { SecretRef } from "@/lib/config-as-code/file-schema";
import { readConfiguration, type BackendSpec, type StoredObject } from "@/lib/config-as-code/read-configuration";
import { getDb } from "@/lib/db";
import { defaultScopes } from "@/lib/providers/provider-input-schema";

/** Defaults a file may leave out (the schema's defaults); export omits them so a short file round-trips. */
const BACKEND_DEFAULTS: Record<string, unknown> = {
  transport: "streamable_http",
  timeoutMs: 30_000,
  toolPrefix: null,
  toolAllow: [],
  toolDeny: [],
  visibleToRoles: [],
  visibleToGroups: [],
  inboundIssuer: null,
  inboundAudience: null,
  auditArguments: false,
  enabled: true,
};

const envName = (slug: string, field: string) => `${slug}_${field}`.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();

/** A secret's reference as applied, else a suggested environment variable (listed in `notes`). */
function secretOf(o: StoredObject<unknown>, slug: string, field: string, notes: string[]): SecretRef {
  if (o.secretRef) return o.secretRef;
  const env = envName(slug, field);
  notes.push(`${slug}: the ${field} was set in the console; export names it { env: ${env} }: set that variable before applying`);
  return { env };
}

function backendEntry(b: StoredObject<BackendSpec>, notes: string[]) {
  const { auth, ...spec } = b.spec;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) if (!(k in BACKEND_DEFAULTS) || !isDeepStrictEqual(BACKEND_DEFAULTS[k], v)) out[k] = v;
  const authOut: Record<string, unknown> = { ...auth };
  if (needsSecret(auth.mode)) authOut[SECRET_FIELD[auth.mode]] = secretOf(b, spec.slug, SECRET_FIELD[auth.mode], notes);
  out.auth = authOut;
  return out;
}

/**
 * The stored providers and backends as a configuration file (YAML), secrets as references. `notes`
 * lists secrets that were never applied from a file and so have no reference yet.
 */
export async function exportConfig(): Promise<{ yaml: string; notes: string[] }> {
  const stored = await readConfiguration(getDb());
  const notes: string[] = [];
  const providers = stored.providers.map((p) => {
    const { scopes, enabled, ...spec } = p.spec;
    return {
      ...spec,
      ...(isDeepStrictEqual(scopes, defaultScopes[spec.kind]) ? {} : { scopes }),
      ...(enabled === false ? { enabled } : {}),
      clientSecret: secretOf(p, spec.slug, "clientSecret", notes),
    };
  });
  const backends = stored.backends.map((b) => backendEntry(b, notes));
  const settings = stored.settings.personalAccessTokens === undefined ? {} : { settings: stored.settings };
  const doc = { version: 1, ...(providers.length ? { providers } : {}), ...(backends.length ? { backends } : {}), ...settings };
  return { yaml: YAML.stringify(doc, { lineWidth: 0 }), notes };
}
