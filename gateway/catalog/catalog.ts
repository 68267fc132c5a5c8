// A backend's tools, prompts, resources and resource templates as listed for one credential identity,
// cached for TTL and refreshed in the background when stale (the stale list is served meanwhile),
// dropped on notifications/*/list_changed. A failed fetch is remembered for FAILURE_TTL_MS so a
// down backend does not make every list wait for its timeout. The last list seen for a backend from
// any identity is kept too: it names the tools of a linked-account backend to users without a link.
import type { Prompt, Resource, ResourceTemplate, ServerCapabilities, Tool } from "@modelcontextprotocol/sdk/types.js";
import { MergedLists } from "@/gateway/catalog/merged-lists";
import type { NameKind } from "@/gateway/catalog/naming";
import { TimeoutError, upstreamError } from "@/gateway/replies/upstream-errors";
import type { UpstreamSession } from "@/gateway/upstream/session-pool";
import type { RuntimeBackend } from "@/lib/backends/runtime";

const FAILURE_TTL_MS = 5_000;
const MAX_PAGES = 50;

export interface Catalog {
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  /** What the backend said it offers at its handshake (logging, completions, subscriptions …). */
  capabilities?: ServerCapabilities;
}

type Entry = { catalog?: Catalog; error?: Error; at: number; pending?: Promise<Catalog> };

/** What merged lists may hold, by default (GATEWAY_LIST_CACHE_MB). */
const DEFAULT_MERGED_LIST_BYTES = 32 * 1024 * 1024;

export class CatalogStore {
  private readonly entries = new Map<string, Entry>();
  private readonly lastKnown = new Map<string, { catalog: Catalog; names: Record<NameKind, Set<string>> }>();
  /** Moves whenever any catalog changes, is dropped or is first known: merged lists made before are stale. */
  private changes = 0;
  /** The merged, serialized lists built from these catalogs (merged-lists.ts). */
  readonly merged: MergedLists;

  constructor(
    private readonly ttlMs: number,
    opts: { mergedListBytes?: number } = {},
  ) {
    this.merged = new MergedLists(ttlMs, opts.mergedListBytes ?? DEFAULT_MERGED_LIST_BYTES);
  }

  get generation(): number {
    return this.changes;
  }

  /** The catalog for this backend and identity; `fetch` runs when there is none or it is stale. */
  async get(backend: RuntimeBackend, identity: string, fetch: () => Promise<Catalog>): Promise<Catalog> {
    const key = keyOf(backend, identity);
    const entry = this.entries.get(key);
    const age = entry ? Date.now() - entry.at : Infinity;
    if (entry?.catalog) {
      if (age > this.ttlMs && !entry.pending) void this.refresh(key, backend, fetch).catch(() => undefined);
      return entry.catalog;
    }
    if (entry?.pending) return entry.pending;
    if (entry?.error && age < FAILURE_TTL_MS) throw entry.error;
    return this.refresh(key, backend, fetch);
  }

  lastKnownOf(backend: RuntimeBackend): Catalog | undefined {
    return this.lastKnown.get(backend.id)?.catalog;
  }

  knownNames(backend: RuntimeBackend, kind: NameKind): ReadonlySet<string> | undefined {
    return this.lastKnown.get(backend.id)?.names[kind];
  }

  /** Forgets cached catalogs for which `match(backendId, identity)` holds. */
  invalidate(match: (backendId: string, identity: string) => boolean): void {
    this.changes++;
    for (const key of this.entries.keys()) {
      const [backendId = "", identity = ""] = key.split("|");
      if (match(backendId.split("@")[0]!, identity)) this.entries.delete(key);
    }
  }

  forgetBackend(backendId: string): void {
    this.invalidate((id) => id === backendId);
    this.lastKnown.delete(backendId);
  }

  private refresh(key: string, backend: RuntimeBackend, fetch: () => Promise<Catalog>): Promise<Catalog> {
    const entry: Entry = this.entries.get(key) ?? { at: 0 };
    const pending = withDeadline(fetch(), backend)
      .then((catalog) => {
        if (this.entries.get(key) === entry) Object.assign(entry, { catalog, error: undefined, at: Date.now() });
        this.changes++;
        this.lastKnown.set(backend.id, { catalog, names: { tools: names(catalog.tools), prompts: names(catalog.prompts) } });
        return catalog;
      })
      .catch((e: unknown) => {
        const error = upstreamError(backend, e);
        if (this.entries.get(key) === entry) Object.assign(entry, { catalog: undefined, error, at: Date.now() });
        this.changes++;
        throw error;
      })
      .finally(() => {
        entry.pending = undefined;
      });
    entry.pending = pending;
    this.entries.set(key, entry);
    return pending;
  }
}

const keyOf = (backend: RuntimeBackend, identity: string) => `${backend.id}@${backend.version}|${identity}`;
const names = (items: { name: string }[]) => new Set(items.map((i) => i.name));

/** Lists everything the backend says it offers, following pagination, within its timeout. */
export async function fetchCatalog(session: UpstreamSession): Promise<Catalog> {
  const { client, backend } = session;
  const caps = client.getServerCapabilities() ?? {};
  const options = { timeout: backend.timeoutMs };
  // Tools decide whether the backend counts as up; a backend whose other lists fail still serves its tools.
  const optional = <T>(p: Promise<T[]>) => p.catch(() => [] as T[]);
  const [tools, prompts, resources, resourceTemplates] = await Promise.all([
    fetchTools(session),
    caps.prompts
      ? optional(pages((cursor) => client.listPrompts({ cursor }, options).then((r) => ({ items: r.prompts, next: r.nextCursor }))))
      : [],
    caps.resources
      ? optional(pages((cursor) => client.listResources({ cursor }, options).then((r) => ({ items: r.resources, next: r.nextCursor }))))
      : [],
    caps.resources
      ? optional(
          pages((cursor) =>
            client.listResourceTemplates({ cursor }, options).then((r) => ({ items: r.resourceTemplates, next: r.nextCursor })),
          ),
        )
      : [],
  ]);
  return { tools, prompts, resources, resourceTemplates, capabilities: caps };
}

/** The backend's tools, following pagination (the console's Test connection lists these too). */
export async function fetchTools(session: UpstreamSession): Promise<Tool[]> {
  const { client, backend } = session;
  if (!client.getServerCapabilities()?.tools) return [];
  return pages((cursor) =>
    // The SDK v2 client's Tool type is wider (JSON values in schemas); the wire shape is the same.
    client.listTools({ cursor }, { timeout: backend.timeoutMs }).then((r) => ({ items: r.tools as Tool[], next: r.nextCursor })),
  );
}

async function pages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const { items, next } = await page(cursor);
    all.push(...items);
    if (!next) break;
    cursor = next;
  }
  return all;
}

function withDeadline<T>(p: Promise<T>, backend: RuntimeBackend): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), backend.timeoutMs);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
