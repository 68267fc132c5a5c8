// Merged lists (tools/list and the other lists) as clients get them, cached: merging every visible
// backend's catalog under the naming rules, then serializing it, costs milliseconds at a hundred
// backends, while the result only changes when a catalog does. A page is kept serialized per (visible
// backend set, user when a backend's list is per user, endpoint, list, client era, page start) and
// served while the catalogs are unchanged (CatalogStore's generation: every catalog change, list
// change, backend, link or user event moves it) and younger than the catalogs' TTL (so stale catalogs
// are still refreshed by the slow path). Bounded by the bytes it holds (GATEWAY_LIST_CACHE_MB), LRU.
import { LRUCache } from "lru-cache";
import type { Era } from "@/gateway/http/era";
import type { McpCaller } from "@/gateway/types";
import type { RuntimeBackend } from "@/lib/backends/runtime";

export interface MergedPage {
  /** The page's items, serialized. */
  json: string;
  /** Where the next page starts, when there is one. */
  nextStart?: number;
}

interface Entry extends MergedPage {
  generation: number;
  at: number;
}

/** Modes whose credential (so whose catalog) differs from user to user. */
const PER_USER_MODES = new Set(["token_exchange", "linked_account"]);

export class MergedLists {
  private readonly pages: LRUCache<string, Entry>;

  constructor(
    private readonly ttlMs: number,
    maxBytes: number,
  ) {
    this.pages = new LRUCache<string, Entry>({ maxSize: Math.max(1, maxBytes), sizeCalculation: (e, key) => e.json.length + key.length });
  }

  /** The key of one page for this request. */
  keyOf(r: { backends: RuntimeBackend[]; caller: McpCaller; slug?: string; era: Era }, method: string, start: number): string {
    const set = signatureOf(r.backends);
    return `${method}|${r.era}|${r.slug ?? ""}|${start}|${set.perUser ? r.caller.userId : ""}|${set.signature}`;
  }

  /** The cached page, while the catalogs it was merged from are unchanged and younger than the TTL. */
  get(key: string, generation: number): MergedPage | undefined {
    const entry = this.pages.get(key);
    if (!entry) return undefined;
    if (entry.generation === generation && Date.now() - entry.at < this.ttlMs) return entry;
    this.pages.delete(key);
    return undefined;
  }

  /** `generation`: the catalogs' generation read before they were loaded for this page. */
  set(key: string, generation: number, page: MergedPage): void {
    if (page.json.length + key.length > this.pages.maxSize) return;
    this.pages.set(key, { ...page, generation, at: Date.now() });
  }

  clear(): void {
    this.pages.clear();
  }

  get size(): number {
    return this.pages.size;
  }
}

// The visible set's ids and versions, worked out once per array (visible-backends.ts hands out one per caller).
const signatures = new WeakMap<readonly RuntimeBackend[], { signature: string; perUser: boolean }>();

function signatureOf(backends: readonly RuntimeBackend[]): { signature: string; perUser: boolean } {
  let known = signatures.get(backends);
  if (!known) {
    known = {
      signature: backends.map((b) => `${b.id}@${b.version}`).join(","),
      perUser: backends.some((b) => b.auth !== undefined && PER_USER_MODES.has(b.auth.mode)),
    };
    signatures.set(backends, known);
  }
  return known;
}
