// Handshake-era resources/subscribe and unsubscribe: which resources each client session subscribed
// to, known on every replica (the request may land on one, the session's GET stream on another), so
// the replica holding the stream listens upstream (change-listener.ts) and tells the client of updates.
// Sessions are the client's signed Mcp-Session-Id, kept here by its hash only; at most MAX_SESSIONS
// are remembered, the least recently changed forgotten first. A replica that started after a
// session subscribed asks the others for it when that session's stream opens there.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { RequestContext } from "@/gateway/context";
import { findResourceOwner } from "@/gateway/methods/resource-owner";
import { rpcError, rpcResult } from "@/gateway/replies/replies";
import type { GatewayReply, JsonRpcRequest } from "@/gateway/types";
import type { Bus } from "@/lib/bus/bus";
import { RPC } from "@/lib/json-rpc-errors";
import { log } from "@/lib/log";

const CHANNEL = "gateway.resource-subscriptions";
const MAX_SESSIONS = 10_000;
const MAX_PER_SESSION = 50;
const MAX_URI = 4000;

const changeSchema = z.object({
  session: z.string().max(64),
  backendId: z.string().max(200),
  uri: z.string().max(MAX_URI),
  subscribed: z.boolean(),
});
/** "Who knows this session?", and the answer: all its subscriptions at once (adopted only where unknown). */
const askSchema = z.object({ session: z.string().max(64), ask: z.literal(true) });
const snapshotSchema = z.object({
  session: z.string().max(64),
  snapshot: z.record(z.string().max(200), z.array(z.string().max(MAX_URI)).max(MAX_PER_SESSION)),
});

/** Backend id → the URIs (as the backend names them) the session subscribed to. */
export type SessionSubscriptions = Map<string, Set<string>>;

export class ResourceSubscriptions {
  private readonly sessions = new Map<string, SessionSubscriptions>();
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly unsubscribe: () => void;

  constructor(private readonly bus: Bus) {
    this.unsubscribe = bus.subscribe(CHANNEL, (message) => {
      const change = changeSchema.safeParse(message);
      if (change.success) return this.apply(change.data);
      const ask = askSchema.safeParse(message);
      if (ask.success) return this.answer(ask.data.session);
      const snapshot = snapshotSchema.safeParse(message);
      if (snapshot.success) this.adopt(snapshot.data.session, snapshot.data.snapshot);
    });
  }

  /** The key a session is known by: a hash of its Mcp-Session-Id. */
  static keyOf(sessionId: string): string {
    return createHash("sha256").update(sessionId).digest("base64url").slice(0, 32);
  }

  of(session: string): SessionSubscriptions {
    return this.sessions.get(session) ?? new Map();
  }

  /** Calls `changed` whenever the session's subscriptions change; returns the function that stops it. */
  watch(session: string, changed: () => void): () => void {
    const set = this.watchers.get(session) ?? new Set();
    this.watchers.set(session, set.add(changed));
    return () => {
      set.delete(changed);
      if (set.size === 0) this.watchers.delete(session);
    };
  }

  /** A session's stream opened here: when this replica knows nothing of it, the others are asked. */
  recall(session: string): void {
    if (this.sessions.has(session)) return;
    this.bus
      .publish(CHANNEL, { session, ask: true })
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, "could not ask for a session's subscriptions"));
  }

  async change(session: string, backendId: string, uri: string, subscribed: boolean): Promise<void> {
    await this.bus.publish(CHANNEL, { session, backendId, uri, subscribed });
  }

  close(): void {
    this.unsubscribe();
    this.watchers.clear();
  }

  private answer(session: string): void {
    const known = this.sessions.get(session);
    if (!known) return;
    const snapshot = Object.fromEntries([...known].map(([backendId, uris]) => [backendId, [...uris]]));
    this.bus.publish(CHANNEL, { session, snapshot }).catch(() => undefined);
  }

  private adopt(session: string, snapshot: Record<string, string[]>): void {
    if (this.sessions.has(session)) return;
    const entries = Object.entries(snapshot).filter(([, uris]) => uris.length > 0);
    if (!entries.length) return;
    this.sessions.set(session, new Map(entries.map(([backendId, uris]) => [backendId, new Set(uris)])));
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    for (const watcher of this.watchers.get(session) ?? []) watcher();
  }

  private apply({ session, backendId, uri, subscribed }: z.infer<typeof changeSchema>): void {
    const current = this.sessions.get(session) ?? new Map<string, Set<string>>();
    this.sessions.delete(session); // re-inserted last: the most recently changed
    const uris = new Set(current.get(backendId));
    if (subscribed && [...current.values()].reduce((n, s) => n + s.size, 0) < MAX_PER_SESSION) uris.add(uri);
    else uris.delete(uri);
    const next = new Map(current);
    if (uris.size) next.set(backendId, uris);
    else next.delete(backendId);
    if (next.size) this.sessions.set(session, next);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    for (const watcher of this.watchers.get(session) ?? []) watcher();
  }
}

/**
 * resources/subscribe and unsubscribe from a handshake-era client with a session: remembered for its
 * GET stream, on whichever replica that is; the backend is asked by the listener there.
 */
export async function subscriptionReply(ctx: RequestContext, request: JsonRpcRequest, sessionId: string): Promise<GatewayReply> {
  const uri = request.params?.uri;
  if (typeof uri !== "string") return rpcError(request.id, RPC.invalidParams, `${request.method} needs a uri.`);
  const found = findResourceOwner(ctx, uri);
  const owner = found instanceof Promise ? await found : found;
  if (!owner) return rpcError(request.id, RPC.resourceNotFound, `Resource not found: ${uri}`, { uri });
  const offered = ctx.parts.catalogs.lastKnownOf(owner.backend)?.capabilities?.resources;
  if (offered && !offered.subscribe)
    return rpcError(
      request.id,
      RPC.methodNotFound,
      `Backend "${owner.backend.displayName}" (${owner.backend.slug}) does not offer resource subscriptions: read ${uri} again instead.`,
    );
  const subscribed = request.method === "resources/subscribe";
  try {
    await ctx.parts.subscriptions.change(ResourceSubscriptions.keyOf(sessionId), owner.backend.id, owner.uri, subscribed);
  } catch (e) {
    log.warn({ err: (e as Error).message }, "could not record a resource subscription");
    return rpcError(request.id, RPC.internalError, "The subscription could not be recorded; try again.");
  }
  return rpcResult(request.id, {});
}
