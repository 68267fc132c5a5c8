// Change notifications, so caches (the gateway's backend list, credentials, upstream pool, linked
// tokens, revoked grants) drop what an edit made stale the moment it commits: in this process at
// once, and on every other replica through the bus (lib/bus) about as fast as PostgreSQL delivers a
// NOTIFY. The caches' TTLs stay as a safety net for a message that was lost; a replica whose
// listening connection dropped hears { kind: "all" } when it is back, since it may have missed some.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { bus } from "@/lib/bus/bus";
import { log } from "@/lib/log";
import { singleton } from "@/lib/singleton";

const id = z.string().min(1).max(200);
const changeEventSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("backend"), id }),
  z.object({ kind: z.literal("provider"), id }),
  z.object({ kind: z.literal("link"), userId: id, providerId: id }),
  /** A user disabled, or their roles changed. */
  z.object({ kind: z.literal("user"), id }),
  /** An OAuth grant of a connected client revoked (lib/oauth-server/revoked-grants.ts). */
  z.object({ kind: z.literal("grant"), id }),
  /** A personal access token revoked. */
  z.object({ kind: z.literal("token"), id }),
  /** Everything may be stale: a key rotated, or this replica may have missed messages. */
  z.object({ kind: z.literal("all") }),
]);
export type ChangeEvent = z.infer<typeof changeEventSchema>;

const messageSchema = z.object({ from: z.string().max(100), event: changeEventSchema });

/** The bus channel of change events. */
export const CHANGES_CHANNEL = "changes";

type Listener = (event: ChangeEvent) => void;

const state = singleton(
  "events.listeners",
  () => ({
    listeners: new Set<Listener>(),
    /** Tells this replica's own messages apart: it delivered them already, synchronously. */
    replicaId: randomUUID(),
    joined: false,
  }),
  // The bus is reopened on the new database (lib/bus/bus.ts): join that one.
  (s) => void (s.joined = false),
);

function deliver(event: ChangeEvent): void {
  for (const listener of state.listeners) {
    try {
      listener(event);
    } catch (err) {
      log.error({ err, kind: event.kind }, "a change listener failed");
    }
  }
}

/** Subscribes this process to the other replicas' changes, once. */
function join(): void {
  if (state.joined) return;
  state.joined = true;
  try {
    const b = bus();
    b.subscribe(CHANGES_CHANNEL, (raw) => {
      const parsed = messageSchema.safeParse(raw);
      if (!parsed.success) return log.warn("a change message did not match its schema; ignored");
      if (parsed.data.from !== state.replicaId) deliver(parsed.data.event);
    });
    b.onResync(() => deliver({ kind: "all" }));
  } catch (err) {
    state.joined = false;
    log.warn({ err: (err as Error).message }, "could not join the change bus; other replicas' changes arrive by TTL");
  }
}

/**
 * Call after the change has committed. This process's caches drop at once; the returned promise
 * resolves once the other replicas were told (a failure is logged: their TTLs catch up).
 */
export function emitChange(event: ChangeEvent): Promise<void> {
  join();
  deliver(event);
  let sent: Promise<void>;
  try {
    sent = bus().publish(CHANGES_CHANNEL, { from: state.replicaId, event });
  } catch (err) {
    sent = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  return sent.catch((err: unknown) => {
    log.warn(
      { err: (err as Error).message, kind: event.kind },
      "could not tell the other replicas about a change; their caches catch up by TTL",
    );
  });
}

/** Returns an unsubscribe function. */
export function onChange(listener: Listener): () => void {
  join();
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}
