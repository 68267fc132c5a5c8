// The enabled backends as the gateway needs them on every MCP request: parsed auth configuration,
// decrypted secret, provider slug. Loaded once and cached in memory, so the per-call path makes no
// database round trip; an in-process change (lib/events) drops the cache at once, other replicas'
// changes are picked up within TTL_MS (served stale while the reload runs).
import { createHash } from "node:crypto";
import { readStoredAuth, secretAad } from "@/lib/backends/auth-config";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { onChange } from "@/lib/events";
import { log } from "@/lib/log";
import { singleton } from "@/lib/singleton";

const TTL_MS = 30_000;

export type RuntimeAuth =
  | { mode: "none" }
  | { mode: "static_header"; headerName: string; value: string }
  | { mode: "token_exchange"; tokenEndpoint: string; clientId: string; clientSecret: string; audience: string; scope?: string }
  | { mode: "linked_account"; providerId: string; providerSlug: string; providerName: string }
  | { mode: "client_credentials"; tokenEndpoint: string; clientId: string; clientSecret: string; scope?: string; audience?: string };

export interface RuntimeBackend {
  id: string;
  slug: string;
  displayName: string;
  url: string;
  transport: "streamable_http" | "sse";
  timeoutMs: number;
  /** The effective prefix at /api/mcp: the row's toolPrefix, or `<slug>_` when it is null. */
  prefix: string;
  toolAllow: string[];
  toolDeny: string[];
  visibleToRoles: string[];
  visibleToGroups: string[];
  /** Undefined when `problem` says why the auth configuration cannot be used. */
  auth?: RuntimeAuth;
  /** A broken row (secret missing or undecryptable, bad config): listed nowhere, calls say why. */
  problem?: string;
  inbound?: { issuer: string; audience: string };
  auditArguments: boolean;
  /** Changes whenever anything that affects an upstream connection or its credential changes. */
  version: string;
}

const select = {
  id: true,
  slug: true,
  displayName: true,
  url: true,
  transport: true,
  timeoutMs: true,
  toolPrefix: true,
  toolAllow: true,
  toolDeny: true,
  visibleToRoles: true,
  visibleToGroups: true,
  authMode: true,
  authConfig: true,
  secretEnc: true,
  providerId: true,
  provider: { select: { slug: true, displayName: true, enabled: true } },
  inboundIssuer: true,
  inboundAudience: true,
  auditArguments: true,
} as const;

type Row = Awaited<ReturnType<typeof loadRows>>[number];

const state = singleton(
  "backends.runtime",
  () => {
    const s = {
      current: undefined as RuntimeBackend[] | undefined,
      loadedAt: 0,
      loading: undefined as Promise<RuntimeBackend[]> | undefined,
      generation: 0,
    };
    onChange((event) => {
      if (event.kind === "backend" || event.kind === "provider" || event.kind === "all") dropRuntimeBackends();
    });
    return s;
  },
  () => dropRuntimeBackends(),
);

/** Enabled backends, sorted by slug. Resolves from memory except on the first call after a change. */
export function loadRuntimeBackends(): Promise<RuntimeBackend[]> {
  return Promise.resolve(runtimeBackendsNow() ?? reload());
}

/** The enabled backends at hand, without a promise (the per-call path); undefined until loaded. */
export function runtimeBackendsNow(): RuntimeBackend[] | undefined {
  if (state.current && Date.now() - state.loadedAt > TTL_MS)
    void reload().catch((e: unknown) => log.warn({ err: (e as Error).message }, "backend reload failed; serving the cached list"));
  return state.current;
}

/** Forgets the cached backends; the next request reloads them. */
export function dropRuntimeBackends(): void {
  state.generation++;
  state.current = undefined;
  state.loading = undefined;
}

/** One backend by id, enabled or not, as the gateway would call it (the console's Test connection). */
export async function loadRuntimeBackend(id: string): Promise<RuntimeBackend | undefined> {
  const row = await getDb().backend.findUnique({ where: { id }, select });
  return row ? toRuntime(row) : undefined;
}

function reload(): Promise<RuntimeBackend[]> {
  if (state.loading) return state.loading;
  const generation = state.generation;
  const loading = loadRows()
    .then((rows) => rows.map(toRuntime))
    .then((backends) => {
      // A change that arrived while loading wins: its data may not be in what was read.
      if (state.generation === generation) Object.assign(state, { current: backends, loadedAt: Date.now() });
      return backends;
    })
    .finally(() => {
      if (state.loading === loading) state.loading = undefined;
    });
  state.loading = loading;
  return loading;
}

function loadRows() {
  return getDb().backend.findMany({ where: { enabled: true }, select, orderBy: { slug: "asc" } });
}

function toRuntime(row: Row): RuntimeBackend {
  const base = {
    id: row.id,
    slug: row.slug,
    displayName: row.displayName,
    url: row.url,
    transport: row.transport === "sse" ? ("sse" as const) : ("streamable_http" as const),
    timeoutMs: row.timeoutMs,
    prefix: row.toolPrefix ?? `${row.slug}_`,
    toolAllow: row.toolAllow,
    toolDeny: row.toolDeny,
    visibleToRoles: row.visibleToRoles,
    visibleToGroups: row.visibleToGroups,
    inbound:
      row.inboundIssuer && row.inboundAudience
        ? { issuer: row.inboundIssuer.replace(/\/$/, ""), audience: row.inboundAudience }
        : undefined,
    auditArguments: row.auditArguments,
    version: fingerprint(row),
  };
  try {
    return { ...base, auth: runtimeAuth(row) };
  } catch (e) {
    const problem = (e as Error).message;
    log.error({ backend: row.slug, problem }, "backend configuration cannot be used");
    return { ...base, problem };
  }
}

function runtimeAuth(row: Row): RuntimeAuth {
  const stored = readStoredAuth(row);
  const secret = () => {
    if (!row.secretEnc) throw new Error("its secret is not set");
    try {
      return getKeyring().decrypt(row.secretEnc, secretAad(row.id));
    } catch (e) {
      throw new Error(`its secret cannot be decrypted (${(e as Error).message})`);
    }
  };
  switch (stored.mode) {
    case "none":
      return stored;
    case "static_header":
      return { ...stored, value: secret() };
    case "token_exchange":
    case "client_credentials":
      return { ...stored, clientSecret: secret() };
    case "linked_account":
      if (!row.provider) throw new Error("its provider does not exist");
      if (!row.provider.enabled) throw new Error(`its provider ${row.provider.slug} is disabled`);
      return { ...stored, providerSlug: row.provider.slug, providerName: row.provider.displayName };
  }
}

/** A digest of every column an upstream session or credential depends on (never the secret itself). */
function fingerprint(row: Row): string {
  const parts = [row.url, row.transport, row.authMode, JSON.stringify(row.authConfig), row.providerId, row.secretEnc, row.provider?.slug];
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
}
