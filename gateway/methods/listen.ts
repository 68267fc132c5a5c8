// GET /api/mcp (handshake era): the client's standalone stream. It stays open and carries
// notifications/{tools,prompts,resources}/list_changed when a backend this client may see says its
// lists changed, on whichever replica heard it; a comment every KEEPALIVE_MS keeps proxies from
// closing it. A replica shutting down ends it (lib/health/draining.ts): the client reconnects elsewhere.
import { Readable } from "node:stream";
import type { RequestContext } from "@/gateway/context";
import type { GatewayReply } from "@/gateway/types";
import { endOnShutdown } from "@/lib/health/draining";

const KEEPALIVE_MS = 25_000;
const CHANGED = ["notifications/tools/list_changed", "notifications/prompts/list_changed", "notifications/resources/list_changed"];

export function notificationStream(ctx: Pick<RequestContext, "parts" | "backends" | "onAbort">): GatewayReply {
  const visible = new Set(ctx.backends.map((b) => b.id));
  const stream = new Readable({ read() {} });
  const stop = ctx.parts.listChanges.listen((backendId) => {
    if (!visible.has(backendId)) return;
    for (const method of CHANGED) stream.push(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", method })}\n\n`);
  });
  const keepalive = setInterval(() => stream.push(": keepalive\n\n"), KEEPALIVE_MS);
  keepalive.unref();
  let unregister = () => {};
  const end = () => {
    clearInterval(keepalive);
    stop();
    unregister();
    if (!stream.destroyed) stream.destroy();
  };
  ctx.onAbort(end);
  stream.once("close", end);
  stream.push(": listening\n\n"); // sends the headers now
  // On shutdown the stream ends cleanly (the client reconnects elsewhere) rather than holding it up.
  unregister = endOnShutdown(() => {
    if (!stream.destroyed) stream.push(null);
  });
  return { status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-store" }, body: stream };
}
