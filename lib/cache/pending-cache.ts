// A cache whose entry is a value, or the promise of one while it loads. A fresh value is answered
// synchronously (no promise on a hot path); concurrent misses for one key share one load; a load
// that an invalidation overtook still answers the callers that joined it, but is not kept (what it
// read may predate the change). The one home of this pattern: tokens, users, verifiers, links.
// Bounded caches are LRU (lru-cache): a full cache drops stale values among its least recently used,
// then the least recently used one, without walking every entry.
import { LRUCache } from "lru-cache";

export interface PendingCacheOptions<V> {
  /** A value that is no longer fresh is loaded again on the next get (default: always fresh). */
  isFresh?: (value: V, now: number) => boolean;
  /** Past this many values, stale ones are dropped, then the least recently used. */
  maxEntries?: number;
}

interface Load<V> {
  promise: Promise<V>;
  /** Set by an invalidation: the result is handed to the callers, not stored. */
  stale: boolean;
}

/** How many of the least recently used values a full cache looks at for stale ones. */
const STALE_SCAN = 16;

type Store<K, V> = Pick<Map<K, V>, "get" | "set" | "delete" | "has" | "keys"> & { readonly size: number };

export class PendingCache<K, V> {
  private readonly values: Store<K, V>;
  private readonly lru: LRUCache<K & {}, V & {}> | undefined;
  private readonly loads = new Map<K, Load<V>>();

  constructor(private readonly opts: PendingCacheOptions<V> = {}) {
    this.lru = opts.maxEntries === undefined ? undefined : new LRUCache<K & {}, V & {}>({ max: opts.maxEntries });
    this.values = (this.lru as unknown as Store<K, V> | undefined) ?? new Map<K, V>();
  }

  /** The fresh value, synchronously; otherwise the load in flight for `key`, or a new one. */
  get(key: K, load: () => Promise<V>): V | Promise<V> {
    const value = this.values.get(key);
    if (value !== undefined && this.isFresh(value, Date.now())) return value;
    return this.load(key, load);
  }

  /** The fresh value, or undefined. */
  fresh(key: K): V | undefined {
    const value = this.values.get(key);
    return value !== undefined && this.isFresh(value, Date.now()) ? value : undefined;
  }

  /** The stored value, fresh or not. */
  peek(key: K): V | undefined {
    return this.values.get(key);
  }

  /** The most values kept (undefined: unbounded). */
  get maxEntries(): number | undefined {
    return this.opts.maxEntries;
  }

  /** Joins the load in flight for `key`, or starts one; its result is stored unless invalidated meanwhile. */
  load(key: K, load: () => Promise<V>): Promise<V> {
    const running = this.loads.get(key);
    if (running) return running.promise;
    const entry: Load<V> = { promise: undefined as unknown as Promise<V>, stale: false };
    entry.promise = load()
      .then((value) => {
        if (!entry.stale) this.set(key, value);
        return value;
      })
      .finally(() => {
        if (this.loads.get(key) === entry) this.loads.delete(key);
      });
    this.loads.set(key, entry);
    return entry.promise;
  }

  set(key: K, value: V): void {
    if (!this.values.has(key) && this.opts.maxEntries !== undefined && this.values.size >= this.opts.maxEntries) this.makeRoom();
    this.values.set(key, value);
  }

  /** Forgets the value; a load in flight is not stored. */
  invalidate(key: K): void {
    this.values.delete(key);
    const running = this.loads.get(key);
    if (running) running.stale = true;
  }

  invalidateWhere(match: (key: K) => boolean): void {
    for (const key of this.keys()) if (match(key)) this.invalidate(key);
  }

  clear(): void {
    this.invalidateWhere(() => true);
  }

  /** Keys with a value or a load in flight. */
  keys(): K[] {
    return [...new Set([...this.values.keys(), ...this.loads.keys()])];
  }

  get size(): number {
    return this.values.size;
  }

  private isFresh(value: V, now: number): boolean {
    return this.opts.isFresh ? this.opts.isFresh(value, now) : true;
  }

  private makeRoom(): void {
    if (!this.lru || !this.opts.isFresh) return; // the LRU drops its least recently used value itself
    const now = Date.now();
    let looked = 0;
    for (const key of this.lru.rkeys()) {
      if (looked++ >= STALE_SCAN) break;
      const value = this.lru.peek(key);
      if (value !== undefined && !this.isFresh(value, now)) this.lru.delete(key);
    }
  }
}
