// One listening client's share of the change feed, for both eras' streams: which events it may and
// wants to hear (list changes of backends it may see; updates of the resources it subscribed to, heard
// with its own credential for that backend), the upstream listeners held for it, and, on a
// reconnect, the events it missed that the feed still has.
import type { GatewayParts } from "@/gateway/context";
import type { Credential } from "@/gateway/credentials/credentials";
import type { ChangeEvent, ListKind } from "@/gateway/methods/list-changes";
import type { McpCaller } from "@/gateway/types";
import type { Release } from "@/gateway/upstream/upstream-listeners";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { log } from "@/lib/log";

const READY_WAIT_MS = 5_000;

/** Backend id → the URIs (as that backend names them) whose updates the client wants. */
export type ResourceInterest = ReadonlyMap<string, ReadonlySet<string>>;

export interface ChangeListenerOptions {
  parts: GatewayParts;
  caller: McpCaller;
  /** The backends the client may see, in this request's scope. */
  backends: readonly RuntimeBackend[];
  lists: ReadonlySet<ListKind>;
  resources: ResourceInterest;
  deliver(event: ChangeEvent): void;
  /** Set: first the events after this id, when the feed still has them. */
  lastEventId?: string;
  /** Called once set up: whether missed events were replayed (undefined when none were asked for). */
  onReady?(replayed: boolean | undefined): void;
}

export interface ChangeListener {
  setResources(resources: ResourceInterest): void;
  stop(): void;
}

export function listenForChanges(opts: ChangeListenerOptions): ChangeListener {
  const { parts, caller } = opts;
  const visible = new Map(opts.backends.map((b) => [b.id, b]));
  const identities = new Map<string, string>();
  const holds = new Map<string, () => void>();
  const credentials = new Map<string, Credential>();
  let resources = opts.resources;
  let stopped = false;
  // Live events wait here until the replay is out, so none is lost or sent twice.
  let waiting: ChangeEvent[] | undefined = [];
  const delivered = new Set<string>();

  const wanted = (event: ChangeEvent): boolean => {
    if (!visible.has(event.backendId)) return false;
    if (event.kind === "list_changed") return event.lists.some((l) => opts.lists.has(l));
    return identities.get(event.backendId) === event.identity && (resources.get(event.backendId)?.has(event.uri) ?? false);
  };
  const stopFeed = parts.changeFeed.listen((event) => {
    if (waiting) waiting.push(event);
    else if (wanted(event)) opts.deliver(event);
  });

  const hold = (backend: RuntimeBackend): Promise<void> | undefined => {
    const credential = credentials.get(backend.id);
    if (!credential || stopped) return;
    const release = holds.get(backend.id);
    const uris = [...(resources.get(backend.id) ?? [])];
    let held: Release | undefined;
    if (opts.lists.size === 0 && uris.length === 0) holds.delete(backend.id);
    else holds.set(backend.id, (held = parts.listeners.hold(backend, credential, { lists: opts.lists.size > 0, uris })));
    release?.(); // after the new hold: the upstream listener stays open in between
    return held?.ready;
  };

  void Promise.all(
    opts.backends.map(async (backend) => {
      if (backend.problem) return;
      try {
        const pending = parts.credentials.forBackend(backend, caller);
        const credential = pending instanceof Promise ? await pending : pending;
        credentials.set(backend.id, credential);
        identities.set(backend.id, credential.identity);
        // Ready when the backend listens (a slow one does not hold the others back past READY_WAIT_MS).
        await Promise.race([hold(backend), new Promise((resolve) => setTimeout(resolve, READY_WAIT_MS).unref())]);
      } catch (e) {
        // No credential (an account not linked yet): nothing is heard from that backend for this client.
        log.debug({ backend: backend.slug, err: (e as Error).message }, "not listening to a backend");
      }
    }),
  ).then(() => {
    if (stopped) return;
    const missed = opts.lastEventId === undefined ? undefined : parts.changeFeed.since(opts.lastEventId);
    for (const event of missed ?? []) {
      delivered.add(event.id);
      if (wanted(event)) opts.deliver(event);
    }
    const live = waiting ?? [];
    waiting = undefined;
    opts.onReady?.(opts.lastEventId === undefined ? undefined : missed !== undefined);
    for (const event of live) if (!delivered.has(event.id) && wanted(event)) opts.deliver(event);
    delivered.clear();
  });

  return {
    setResources(next) {
      const before = resources;
      resources = next;
      for (const backend of opts.backends) {
        const a = [...(before.get(backend.id) ?? [])].sort().join("\n");
        const b = [...(next.get(backend.id) ?? [])].sort().join("\n");
        if (a !== b) hold(backend);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      stopFeed();
      for (const release of holds.values()) release();
      holds.clear();
    },
  };
}
