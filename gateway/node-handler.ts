// The gateway as a Node (req, res) handler, for server.ts: MCP traffic never enters Next's router.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getGateway, type Gateway } from "./gateway";

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
  const clientGone = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) clientGone.abort();
  });
  const reply = await gateway.handle({
    method: req.method ?? "GET",
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? "" : url.slice(q + 1),
    header: (name) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(", ") : v;
    },
    body: () => readBody(req),
    signal: clientGone.signal,
  });
  const body = reply.body;
  if (res.destroyed) {
    if (body && typeof body !== "string") body.destroy();
    return;
  }
  res.writeHead(reply.status, reply.headers);
  if (body === undefined || typeof body === "string") {
    res.end(body);
    return;
  }
  body.on("error", () => res.destroy());
  res.on("close", () => {
    if (!body.readableEnded) body.destroy();
  });
  body.pipe(res);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
