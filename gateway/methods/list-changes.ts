// What the gateway's listening clients hear, on every replica alike: a backend's lists changed
// (notifications/*/list_changed on any replica's upstream session, call stream or upstream listen) or
// one of its resources was updated (on the replica whose upstream listener heard it). Every event
// travels through the bus with an id its publisher gave it, so each replica keeps the same recent
// events in the same order in a bounded ring: a client that reconnects with Last-Event-ID, on this
// replica or another, gets what it missed while that is still in the ring. Two replicas listening to
// the same backend both hear its changes: the second report of a change within COALESCE_MS, from
// another publisher, is dropped (alike on every replica, as all see the bus in one order).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Bus } from "@/lib/bus/bus";
import { endOnShutdown } from "@/lib/health/draining";
import { log } from "@/lib/log";

const CHANNEL = "gateway.changes";
const RING_SIZE = 1000;
const COALESCE_MS = 1_000;
const MAX_RECENT = 10_000;

export const LIST_KINDS = ["tools", "prompts", "resources"] as const;
export type ListKind = (typeof LIST_KINDS)[number];

const eventSchema = z.discriminatedUnion("kind", [
  z.object({
    id: z.string().max(100),
    kind: z.literal("list_changed"),
    backendId: z.string().max(200),
    lists: z.array(z.enum(LIST_KINDS)).max(3),
  }),
  z.object({
    id: z.string().max(100),
    kind: z.literal("resource_updated"),
    backendId: z.string().max(200),
    /** The credential identity of the upstream listener that heard it: only callers with that identity may hear it. */
    identity: z.string().max(300),
    /** The URI as the backend names it (clients see it prefixed, resource-uris.ts). */
    uri: z.string().max(4000),
  }),
]);

export type ChangeEvent = z.infer<typeof eventSchema>;
type Unpublished = ChangeEvent extends infer E ? (E extends ChangeEvent ? Omit<E, "id"> : never) : never;

export class ChangeFeed {
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private readonly ring: ChangeEvent[] = [];
  private readonly unsubscribe: () => void;
  /** Ids are `<publisher>.<n>`: unique across replicas without asking anyone. */
  private readonly publisher = randomBytes(6).toString("base64url");
  private sequence = 0;
  /** What changed lately and who said so first (for coalescing). */
  private readonly recent = new Map<string, { publisher: string; at: number }>();
  private readonly closing = new Set<() => void>();

  constructor(private readonly bus: Bus) {
    this.unsubscribe = bus.subscribe(CHANNEL, (message) => {
      const parsed = eventSchema.safeParse(message);
      if (!parsed.success || this.isEcho(parsed.data)) return;
      this.ring.push(parsed.data);
      if (this.ring.length > RING_SIZE) this.ring.shift();
      for (const listener of this.listeners) listener(parsed.data);
    });
  }

  /** A backend said its lists changed (all three when it did not say which). */
  announce(backendId: string, lists: readonly ListKind[] = LIST_KINDS): void {
    this.publish({ kind: "list_changed", backendId, lists: [...lists] });
  }

  publish(event: Unpublished): void {
    const id = `${this.publisher}.${++this.sequence}`;
    this.bus
      .publish(CHANNEL, { ...event, id })
      .catch((e: unknown) => log.warn({ err: (e as Error).message, kind: event.kind }, "could not publish a change"));
  }

  /** True for an event this replica published (what it already acted on before announcing). */
  isOwn(event: ChangeEvent): boolean {
    return event.id.startsWith(`${this.publisher}.`);
  }

  /** Returns the function that stops listening. */
  listen(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The events after `lastId`, oldest first; undefined when that id is unknown here or already gone from the ring. */
  since(lastId: string): ChangeEvent[] | undefined {
    const at = this.ring.findIndex((e) => e.id === lastId);
    return at < 0 ? undefined : this.ring.slice(at + 1);
  }

  /**
   * Runs once when the gateway closes or the process begins to shut down (lib/health/draining.ts:
   * once the listener has closed), so listening streams end gracefully and their clients reconnect
   * to a replica still up; returns the function that unregisters it.
   */
  onClose(listener: () => void): () => void {
    let ran = false;
    let stopShutdown = () => {};
    const once = () => {
      if (ran) return;
      ran = true;
      stopShutdown();
      this.closing.delete(once);
      listener();
    };
    this.closing.add(once);
    // Runs `once` at once when the process is already shutting down.
    stopShutdown = endOnShutdown(once);
    return () => {
      stopShutdown();
      this.closing.delete(once);
    };
  }

  close(): void {
    for (const listener of [...this.closing]) listener();
    this.closing.clear();
    this.unsubscribe();
    this.listeners.clear();
  }

  private isEcho(event: ChangeEvent): boolean {
    const key = event.kind === "list_changed" ? event.backendId : `${event.backendId}\n${event.identity}\n${event.uri}`;
    const publisher = event.id.slice(0, event.id.indexOf("."));
    const now = Date.now();
    const last = this.recent.get(key);
    if (last && last.publisher !== publisher && now - last.at < COALESCE_MS) return true;
    if (this.recent.size >= MAX_RECENT) this.recent.clear();
    this.recent.set(key, { publisher, at: now });
    return false;
  }
}
