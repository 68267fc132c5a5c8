// Listening to backends on behalf of the clients listening here: at most one upstream listener per
// (backend, credential identity) that has someone to tell, closed when the last one stops. A 2026
// backend gets one `subscriptions/listen` on the pooled session (re-opened when what is wanted
// changes, or when the backend drops it); a handshake backend's pooled session already hears its lists
// on its standalone stream, and is sent resources/subscribe and unsubscribe for the wanted URIs. What
// a listener hears goes to every replica through the change feed (gateway/methods/list-changes.ts).
import type { McpSubscription } from "@modelcontextprotocol/client";
import type { Credential } from "@/gateway/credentials/credentials";
import type { ChangeFeed } from "@/gateway/methods/list-changes";
import type { UpstreamPool, UpstreamSession } from "@/gateway/upstream/session-pool";
import { MODERN_VERSION } from "@/gateway/upstream/upstream-client";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { log } from "@/lib/log";

/** What one holder wants heard: the backend's lists, and updates of these URIs (as the backend names them). */
export interface ListenWant {
  lists: boolean;
  uris: readonly string[];
}

export type Release = (() => void) & { ready: Promise<void> };

const KEEP_ALIVE_MS = 30_000;
const RELISTEN_MS = 2_000;

interface Entry {
  backend: RuntimeBackend;
  credential: Credential;
  holders: Map<symbol, ListenWant>;
  session?: UpstreamSession;
  /** Handshake backend: the URIs subscribed upstream. */
  subscribed: Set<string>;
  /** 2026 backend: the open listen and the filter it was opened with. */
  listening?: McpSubscription;
  filterKey?: string;
  /** Reconciliations run one after another. */
  queue: Promise<void>;
}

export class UpstreamListeners {
  private readonly entries = new Map<string, Entry>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor(private readonly deps: { pool: UpstreamPool; feed: ChangeFeed }) {
    // Every KEEP_ALIVE_MS each listener is set up again where needed: its session is kept from going
    // idle, a session the pool replaced (the backend changed) is subscribed anew, and a backend that
    // could not be reached is tried again.
    this.keepAlive = setInterval(() => {
      for (const [key, entry] of this.entries) void this.reconcile(key, entry);
    }, KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  /**
   * Holds a listener for this backend and credential wanting `want`; returns the release (idempotent),
   * whose `ready` settles once the upstream side is set up (or failed, which is logged).
   */
  hold(backend: RuntimeBackend, credential: Credential, want: ListenWant): Release {
    const key = `${backend.id}|${credential.identity}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { backend, credential, holders: new Map(), subscribed: new Set(), queue: Promise.resolve() };
      this.entries.set(key, entry);
    }
    entry.backend = backend;
    entry.credential = credential;
    const holder = Symbol("holder");
    entry.holders.set(holder, want);
    const ready = this.reconcile(key, entry);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      entry.holders.delete(holder);
      void this.reconcile(key, entry);
    };
    return Object.assign(release, { ready });
  }

  /** A pooled session heard `notifications/resources/updated`: told on only when someone here listens for it. */
  heard(session: UpstreamSession, uri: string): void {
    const entry = this.entries.get(`${session.backend.id}|${session.identity}`);
    if (!entry || ![...entry.holders.values()].some((w) => w.uris.includes(uri))) return;
    this.deps.feed.publish({ kind: "resource_updated", backendId: session.backend.id, identity: session.identity, uri });
  }

  /** Upstream listeners open (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    clearInterval(this.keepAlive);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(all.map((e) => e.listening?.close()));
  }

  private reconcile(key: string, entry: Entry): Promise<void> {
    return (entry.queue = entry.queue
      .then(() => this.apply(key, entry))
      .catch((e: unknown) => log.warn({ backend: entry.backend.slug, err: (e as Error).message }, "could not listen to a backend")));
  }

  private async apply(key: string, entry: Entry): Promise<void> {
    const wants = [...entry.holders.values()];
    if (wants.length === 0) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      await entry.listening?.close();
      entry.listening = undefined;
      const session = entry.session;
      if (session) for (const uri of entry.subscribed) await session.client.unsubscribeResource({ uri }).catch(() => undefined);
      entry.subscribed.clear();
      return;
    }
    const lists = wants.some((w) => w.lists);
    const uris = [...new Set(wants.flatMap((w) => w.uris))].sort();
    const acquired = this.deps.pool.acquire(entry.backend, entry.credential);
    const session = acquired instanceof Promise ? await acquired : acquired;
    if (session !== entry.session) {
      // A new session (the old one was evicted): nothing is subscribed or listened on it yet.
      entry.session = session;
      entry.subscribed.clear();
      entry.listening = undefined;
      entry.filterKey = undefined;
    }
    if (session.era === MODERN_VERSION) return this.listen(key, entry, session, lists, uris);
    for (const uri of uris) {
      if (entry.subscribed.has(uri)) continue;
      await session.client.subscribeResource({ uri });
      entry.subscribed.add(uri);
    }
    for (const uri of [...entry.subscribed]) {
      if (uris.includes(uri)) continue;
      entry.subscribed.delete(uri);
      await session.client.unsubscribeResource({ uri }).catch(() => undefined);
    }
  }

  private async listen(key: string, entry: Entry, session: UpstreamSession, lists: boolean, uris: string[]): Promise<void> {
    const filterKey = JSON.stringify([lists, uris]);
    if (filterKey === entry.filterKey && entry.listening) return;
    const next = await session.client.listen({
      toolsListChanged: lists,
      promptsListChanged: lists,
      resourcesListChanged: lists,
      ...(uris.length ? { resourceSubscriptions: uris } : {}),
    });
    const previous = entry.listening;
    entry.listening = next;
    entry.filterKey = filterKey;
    await previous?.close();
    void next.closed.then((how) => {
      if (how === "local" || entry.listening !== next) return;
      // The backend ended it (restart, shutdown): listen again while someone still wants it.
      entry.listening = undefined;
      setTimeout(() => {
        if (this.entries.get(key) === entry) void this.reconcile(key, entry);
      }, RELISTEN_MS).unref();
    });
  }
}
