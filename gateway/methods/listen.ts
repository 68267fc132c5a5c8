// GET /api/mcp (handshake era): the client's standalone stream. It stays open and carries
// notifications/{tools,prompts,resources}/list_changed when a backend this client may see says its
// lists changed, and notifications/resources/updated for the resources its session subscribed to, on
// whichever replica heard it. Every notification has an event id: a client reconnecting with
// Last-Event-ID (to this replica or another) first gets what it missed while the feed still has it,
// else is told that nothing is replayed.
import { prefixUri } from "@/gateway/catalog/resource-uris";
import type { RequestContext } from "@/gateway/context";
import { listenForChanges } from "@/gateway/methods/change-listener";
import { eventStream } from "@/gateway/methods/event-stream";
import { LIST_KINDS, type ChangeEvent } from "@/gateway/methods/list-changes";
import { ResourceSubscriptions } from "@/gateway/methods/resource-subscriptions";
import type { GatewayReply } from "@/gateway/types";

type StreamContext = Pick<RequestContext, "parts" | "caller" | "backends" | "onAbort" | "slug">;

export function notificationStream(ctx: StreamContext, opts: { sessionId?: string; lastEventId?: string }): GatewayReply {
  const out = eventStream(ctx.onAbort);
  const session = opts.sessionId === undefined ? undefined : ResourceSubscriptions.keyOf(opts.sessionId);
  const subscriptions = () => (session ? ctx.parts.subscriptions.of(session) : new Map<string, Set<string>>());
  const listener = listenForChanges({
    parts: ctx.parts,
    caller: ctx.caller,
    backends: ctx.backends,
    lists: new Set(LIST_KINDS),
    resources: subscriptions(),
    lastEventId: opts.lastEventId,
    onReady: (replayed) => {
      if (replayed === false) out.comment("nothing is replayed: that event is unknown here or too old");
    },
    deliver: (event) => {
      const messages = notificationsFor(ctx, event);
      // The id goes on the last: a client resuming from it has had them all.
      messages.forEach((m, i) => out.send(m, i === messages.length - 1 ? event.id : undefined));
    },
  });
  const stopWatching = session ? ctx.parts.subscriptions.watch(session, () => listener.setResources(subscriptions())) : undefined;
  if (session) ctx.parts.subscriptions.recall(session);
  // On shutdown the stream ends; the client reconnects (with Last-Event-ID) to a replica still up.
  const stopClosing = ctx.parts.changeFeed.onClose(() => out.end());
  out.onEnd(() => {
    stopClosing();
    stopWatching?.();
    listener.stop();
  });
  return out.reply;
}

function notificationsFor(ctx: StreamContext, event: ChangeEvent): Record<string, unknown>[] {
  if (event.kind === "list_changed") return event.lists.map((list) => ({ jsonrpc: "2.0", method: `notifications/${list}/list_changed` }));
  const backend = ctx.backends.find((b) => b.id === event.backendId);
  if (!backend) return [];
  return [{ jsonrpc: "2.0", method: "notifications/resources/updated", params: { uri: prefixUri(backend, !!ctx.slug, event.uri) } }];
}
