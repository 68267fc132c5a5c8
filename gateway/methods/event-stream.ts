// A long-lived SSE reply a client listens on (the handshake era's GET stream, a 2026 client's
// subscriptions/listen): JSON-RPC messages as events, a comment every KEEPALIVE_MS so proxies keep it
// open, and one end, whether the client went away or the gateway ended it.
import { Readable } from "node:stream";
import type { GatewayReply } from "@/gateway/types";

const KEEPALIVE_MS = 25_000;

export interface EventStream {
  reply: GatewayReply;
  /** Sends one JSON-RPC message; `id` lets the client resume after it (Last-Event-ID). */
  send(message: Record<string, unknown>, id?: string): void;
  comment(text: string): void;
  /** Runs once when the stream ends, for whatever reason. */
  onEnd(listener: () => void): void;
  end(): void;
  readonly ended: boolean;
}

export function eventStream(onAbort: (listener: () => void) => () => void): EventStream {
  const stream = new Readable({ read() {} });
  const endListeners: (() => void)[] = [];
  let ended = false;
  const keepalive = setInterval(() => stream.push(": keepalive\n\n"), KEEPALIVE_MS);
  keepalive.unref();
  const finish = () => {
    if (ended) return;
    ended = true;
    clearInterval(keepalive);
    for (const listener of endListeners.splice(0)) listener();
  };
  onAbort(() => {
    finish();
    if (!stream.destroyed) stream.destroy();
  });
  stream.once("close", finish);
  stream.push(": listening\n\n"); // sends the headers now
  return {
    reply: { status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-store" }, body: stream },
    send(message, id) {
      if (!ended) stream.push(`${id ? `id: ${id}\n` : ""}event: message\ndata: ${JSON.stringify(message)}\n\n`);
    },
    comment(text) {
      if (!ended) stream.push(`: ${text.replace(/\n/g, " ")}\n\n`);
    },
    onEnd(listener) {
      if (ended) listener();
      else endListeners.push(listener);
    },
    end() {
      if (ended) return;
      finish();
      stream.push(null);
    },
    get ended() {
      return ended;
    },
  };
}
