// subscriptions/listen (2026-07-28): the client's long-lived POST for notifications, in place of the
// handshake era's GET stream and resources/subscribe. The reply is an SSE stream that first
// acknowledges the part of the filter the gateway honors (the list changes asked for; the resource
// URIs that name a resource of a backend the caller may see), then carries those notifications from
// every backend in scope, whichever replica heard them, each stamped with the subscription id (the
// request's id). It ends when the client goes away, or with its (empty) result when the gateway shuts down.
import { z } from "zod";
import { prefixUri } from "@/gateway/catalog/resource-uris";
import type { RequestContext } from "@/gateway/context";
import { listenForChanges } from "@/gateway/methods/change-listener";
import { eventStream } from "@/gateway/methods/event-stream";
import type { ChangeEvent, ListKind } from "@/gateway/methods/list-changes";
import { findResourceOwner } from "@/gateway/methods/resource-owner";
import { rpcError } from "@/gateway/replies/replies";
import type { GatewayReply, JsonRpcRequest } from "@/gateway/types";
import { RPC } from "@/lib/json-rpc-errors";

const SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
const MAX_URIS = 200;

const filterSchema = z.object({
  toolsListChanged: z.boolean().optional(),
  promptsListChanged: z.boolean().optional(),
  resourcesListChanged: z.boolean().optional(),
  resourceSubscriptions: z.array(z.string().max(4000)).max(MAX_URIS).optional(),
});

export async function subscriptionsListenReply(ctx: RequestContext, request: JsonRpcRequest): Promise<GatewayReply> {
  const parsed = filterSchema.safeParse(request.params?.notifications);
  if (!parsed.success)
    return rpcError(
      request.id,
      RPC.invalidParams,
      `subscriptions/listen needs params.notifications: { toolsListChanged?, promptsListChanged?, resourcesListChanged?: boolean, resourceSubscriptions?: up to ${MAX_URIS} URIs }.`,
    );
  const filter = parsed.data;
  const lists = new Set<ListKind>();
  if (filter.toolsListChanged) lists.add("tools");
  if (filter.promptsListChanged) lists.add("prompts");
  if (filter.resourcesListChanged) lists.add("resources");

  // Each URI to its backend; the ones no visible backend has are left out of what is honored.
  const resources = new Map<string, Set<string>>();
  const honoredUris: string[] = [];
  for (const uri of new Set(filter.resourceSubscriptions ?? [])) {
    const found = findResourceOwner(ctx, uri);
    const owner = found instanceof Promise ? await found : found;
    if (!owner) continue;
    resources.set(owner.backend.id, (resources.get(owner.backend.id) ?? new Set()).add(owner.uri));
    honoredUris.push(uri);
  }
  const honored = {
    ...(lists.has("tools") ? { toolsListChanged: true } : {}),
    ...(lists.has("prompts") ? { promptsListChanged: true } : {}),
    ...(lists.has("resources") ? { resourcesListChanged: true } : {}),
    ...(filter.resourceSubscriptions ? { resourceSubscriptions: honoredUris } : {}),
  };

  const meta = { [SUBSCRIPTION_ID]: request.id };
  const out = eventStream(ctx.onAbort);
  const listener = listenForChanges({
    parts: ctx.parts,
    caller: ctx.caller,
    backends: ctx.backends,
    lists,
    resources,
    // Acknowledged once the backends listen: what changes after the client's listen() resolved is heard.
    onReady: () =>
      out.send({ jsonrpc: "2.0", method: "notifications/subscriptions/acknowledged", params: { notifications: honored, _meta: meta } }),
    deliver: (event) => {
      for (const notification of notificationsFor(ctx, event, lists))
        out.send({ jsonrpc: "2.0", method: notification.method, params: { ...notification.params, _meta: meta } });
    },
  });
  // The gateway shutting down ends the subscription with its result, as the spec's graceful close.
  const stopClosing = ctx.parts.changeFeed.onClose(() => {
    out.send({ jsonrpc: "2.0", id: request.id, result: { _meta: meta } });
    out.end();
  });
  out.onEnd(() => {
    stopClosing();
    listener.stop();
  });
  return out.reply;
}

function notificationsFor(
  ctx: RequestContext,
  event: ChangeEvent,
  lists: ReadonlySet<ListKind>,
): { method: string; params?: Record<string, unknown> }[] {
  if (event.kind === "list_changed")
    return event.lists.filter((l) => lists.has(l)).map((list) => ({ method: `notifications/${list}/list_changed` }));
  const backend = ctx.backends.find((b) => b.id === event.backendId);
  return backend ? [{ method: "notifications/resources/updated", params: { uri: prefixUri(backend, !!ctx.slug, event.uri) } }] : [];
}
