// The gateway as a Node (req, res) handler, for server.ts: MCP traffic never enters Next's router.
// A reply goes out in as few socket writes as possible: a string or bytes with a content-length in
// one; a relayed stream's chunks are gathered until the end of the event-loop turn, so a backend
// answer that arrived whole (the last event and the end together) also leaves in one write.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { getGateway, type Gateway } from "@/gateway/gateway";
import { authorizationHeaderCount } from "@/lib/auth/duplicate-authorization";
import { bodyLimitFor, readBodyWithin } from "@/lib/http/body-limit";
import { countHttpReply } from "@/lib/metrics/observe";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createNodeHandler(gateway: Gateway = getGateway()): NodeHandler {
  return (req, res) =>
    serve(gateway, req, res).catch(() => {
      // gateway.handle() answers its own errors; this is a socket that broke mid-reply.
      res.destroy();
    });
}

async function serve(gateway: Gateway, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  let onGone: (() => void)[] | undefined;
  const gone = () => res.destroyed && !res.writableFinished;
  let bodyRefused = false;
  res.on("close", () => {
    if (!res.writableFinished) for (const listener of onGone ?? []) listener();
  });
  const reply = await gateway.handle({
    method: req.method ?? "GET",
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? "" : url.slice(q + 1),
    header: (name) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(", ") : v;
    },
    authorizationCount: () => authorizationHeaderCount(req.rawHeaders),
    // Read only up to the MCP body limit: the rest of an oversized body is never taken in.
    body: () =>
      readBodyWithin(req, bodyLimitFor(url)).catch((e: unknown) => {
        bodyRefused = true;
        throw e;
      }),
    onAbort: (listener) => {
      if (gone()) {
        listener();
        return () => undefined;
      }
      (onGone ??= []).push(listener);
      return () => {
        const i = onGone!.indexOf(listener);
        if (i >= 0) onGone!.splice(i, 1);
      };
    },
  });
  countHttpReply(reply.status);
  const body = reply.body;
  if (bodyRefused) {
    // The unread rest of the body would be taken as the next request: answer, then hang up.
    reply.headers.connection = "close";
    res.once("finish", () => req.socket.destroy());
  }
  if (res.destroyed) {
    if (body && typeof body === "object" && !Buffer.isBuffer(body)) body.destroy();
    return;
  }
  if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) {
    if (body !== undefined) reply.headers["content-length"] = String(Buffer.byteLength(body));
    res.writeHead(reply.status, reply.headers);
    res.end(body);
    return;
  }
  relay(body, res, reply.status, reply.headers);
}

/** Streams `body` to `res` with backpressure, writing what arrived in one turn of the event loop at once. */
function relay(body: Readable, res: ServerResponse, status: number, headers: Record<string, string>): void {
  let queued: Buffer[] = [];
  let scheduled = false;
  const take = () => {
    const chunk = queued.length === 1 ? queued[0]! : Buffer.concat(queued);
    queued = [];
    return chunk;
  };
  const flush = () => {
    scheduled = false;
    if (queued.length === 0 || res.destroyed) return;
    if (!res.headersSent) res.writeHead(status, headers);
    if (!res.write(take())) {
      body.pause();
      res.once("drain", () => body.resume());
    }
  };
  body.on("data", (chunk: Buffer) => {
    queued.push(chunk);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
  body.on("end", () => {
    if (res.destroyed) return;
    const last = queued.length ? take() : undefined;
    if (!res.headersSent) {
      // The whole answer is here: it goes with a content-length, in one write.
      headers["content-length"] = String(last?.length ?? 0);
      res.writeHead(status, headers);
    }
    res.end(last);
  });
  // A stream cut off before its end (with or without an error) cuts the client off too.
  body.on("error", () => undefined); // "close" follows
  body.on("close", () => {
    if (!body.readableEnded) res.destroy();
  });
  res.on("close", () => {
    if (!body.readableEnded) body.destroy();
  });
}
