// Serving both MCP eras on one URL, as GitLab is doing: a request the SDK classifies as 2026-07-28
// (its `_meta` or MCP-Protocol-Version says so) goes to the v2 SDK's stateless handler; any other to
// the server's handshake-era serving as before. Node's request is turned into a web Request once.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { createMcpHandler, isLegacyRequest, type AuthInfo, type McpServer, type McpServerFactory } from "@modelcontextprotocol/server";

/** `auth`: what the HTTP layer verified, for tool handlers (v1 `extra.authInfo`, v2 `ctx.http.authInfo`). */
export type LegacyServing = (req: IncomingMessage, res: ServerResponse, body: unknown, auth?: AuthInfo) => Promise<void>;

/** A handler for one URL: 2026-07-28 requests to `modern`'s servers, the rest to `legacy`. */
export function dualEraServing(modern: () => McpServer, legacy: LegacyServing): LegacyServing & { close(): Promise<void> } {
  const handler = createMcpHandler((() => modern()) as McpServerFactory, { legacy: "reject" });
  const serve = async (req: IncomingMessage, res: ServerResponse, body: unknown, auth?: AuthInfo) => {
    const request = toWebRequest(req, body);
    if (req.method !== "POST" || (await isLegacyRequest(request, body))) return legacy(req, res, body, auth);
    const response = await handler.fetch(request, { authInfo: auth, parsedBody: body });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const stream = Readable.fromWeb(response.body as never);
    res.on("close", () => stream.destroy());
    stream.pipe(res);
  };
  return Object.assign(serve, { close: () => handler.close() });
}

function toWebRequest(req: IncomingMessage, body: unknown): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
  return new Request(url, { method: req.method, headers, body: req.method === "POST" ? JSON.stringify(body ?? null) : undefined });
}
