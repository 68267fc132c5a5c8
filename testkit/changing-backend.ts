// A backend whose lists and resources change while clients listen (test-only): `touch` adds a tool
// and says the tool list changed (handshake era: on that call's stream only); `update` says a resource was updated, to the sessions (handshake
// era) or subscriptions/listen streams (2026-07-28) that asked for it; `route` declares an
// `x-mcp-header` argument (2026 routing headers). `era: "2025-11-25"` serves the handshake era only
// (SDK v1, sessions); `era: "both"` serves 2026-07-28 too, on the same URL (SDK v2's createMcpHandler).
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  isInitializeRequest,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { createMcpHandler, isLegacyRequest, McpServer, type McpServerFactory } from "@modelcontextprotocol/server";
import { z } from "zod";
import { closeServer, listen, readJsonBody, sendJson } from "@/e2e/world/http";

export const MEMOS = ["memo://one", "memo://two"];

export interface ChangingBackend {
  url: string;
  /** Every tools/call that reached the backend, by tool name. */
  calls: string[];
  /** Upstream listeners open on it now: handshake sessions with subscriptions, 2026 listen streams. */
  readonly listening: number;
  close(): Promise<void>;
}

const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });

export async function startChangingBackend(opts: { era: "2025-11-25" | "both" }): Promise<ChangingBackend> {
  let touched = 0;
  const calls: string[] = [];
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server; subscribed: Set<string> }>();
  let modernStreams = 0;

  const tools = () => [
    { name: "touch", description: "Adds a tool.", inputSchema: { type: "object" as const, properties: {} } },
    {
      name: "update",
      description: "Says a memo changed.",
      inputSchema: { type: "object" as const, properties: { uri: { type: "string" } }, required: ["uri"] },
    },
    {
      name: "route",
      description: "Answers from a region.",
      inputSchema: { type: "object" as const, properties: { region: { type: "string", "x-mcp-header": "Region" } } },
    },
    ...Array.from({ length: touched }, (_, i) => ({ name: `touched_${i + 1}`, inputSchema: { type: "object" as const } })),
  ];
  const announce = {
    // A handshake client hears it on the call's own stream only: whoever relays that call must pass it on.
    toolsChanged: (onCallStream?: () => void) => {
      onCallStream?.();
      modern?.notify.toolsChanged();
    },
    updated: (uri: string) => {
      for (const s of sessions.values()) if (s.subscribed.has(uri)) void s.server.sendResourceUpdated({ uri }).catch(() => undefined);
      modern?.notify.resourceUpdated(uri);
    },
  };
  const call = (name: string, args: Record<string, unknown>, onCallStream?: () => void) => {
    calls.push(name);
    if (name === "touch") {
      touched++;
      announce.toolsChanged(onCallStream);
      return text(`now ${touched}`);
    }
    if (name === "update") {
      announce.updated(String(args.uri));
      return text("updated");
    }
    return text(`${name} from ${String(args.region ?? "nowhere")}`);
  };

  const handshakeServer = (subscribed: Set<string>) => {
    const server = new Server(
      { name: "changing", version: "1.0.0" },
      { capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true } } },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools() }));
    server.setRequestHandler(CallToolRequestSchema, (req, extra) =>
      call(req.params.name, req.params.arguments ?? {}, () => void extra.sendNotification({ method: "notifications/tools/list_changed" })),
    );
    server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: MEMOS.map((uri) => ({ uri, name: uri.slice(7) })) }));
    server.setRequestHandler(ReadResourceRequestSchema, (req) => ({ contents: [{ uri: req.params.uri, text: "memo" }] }));
    server.setRequestHandler(SubscribeRequestSchema, (req) => (subscribed.add(req.params.uri), {}));
    server.setRequestHandler(UnsubscribeRequestSchema, (req) => (subscribed.delete(req.params.uri), {}));
    return server;
  };

  const modernServer = () => {
    const mcp = new McpServer(
      { name: "changing", version: "2.0.0" },
      { capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true } } },
    );
    mcp.registerTool("touch", { description: "Adds a tool." }, () => call("touch", {}));
    mcp.registerTool("update", { inputSchema: z.object({ uri: z.string() }) }, ({ uri }) => call("update", { uri }));
    for (let i = 1; i <= touched; i++) mcp.registerTool(`touched_${i}`, {}, () => text("touched"));
    for (const uri of MEMOS)
      mcp.registerResource(uri.slice(7), uri, { mimeType: "text/plain" }, () => ({ contents: [{ uri, text: "memo" }] }));
    return mcp;
  };
  const modern = opts.era === "both" ? createMcpHandler(modernServer as McpServerFactory, { legacy: "reject" }) : undefined;

  const http = createServer((req, res) => {
    void (async () => {
      const body = req.method === "POST" ? await readJsonBody(req) : undefined;
      const id = req.headers["mcp-session-id"];
      const known = typeof id === "string" ? sessions.get(id) : undefined;
      if (known) return known.transport.handleRequest(req, res, body);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`;
      const request = new Request(url, {
        method: req.method,
        headers,
        body: req.method === "POST" ? JSON.stringify(body ?? null) : undefined,
      });
      if (modern && req.method === "POST" && !(await isLegacyRequest(request, body))) {
        const listening = (body as { method?: string } | undefined)?.method === "subscriptions/listen";
        const response = await modern.fetch(request, { parsedBody: body });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (!response.body) return void res.end();
        if (listening) modernStreams++;
        res.on("close", () => {
          if (listening) modernStreams--;
        });
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
        return void res.end();
      }
      if (typeof id === "string")
        return sendJson(res, 404, { jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session not found" } });
      if (req.method !== "POST" || !isInitializeRequest(body)) return sendJson(res, 400, { error: "initialize first" });
      const subscribed = new Set<string>();
      const server = handshakeServer(subscribed);
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sid) => void sessions.set(sid, { transport, server, subscribed }),
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((e: unknown) => {
      console.error("[changing] request failed", e);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
    });
  });
  const port = await listen(http, 0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    get listening() {
      return modernStreams + [...sessions.values()].filter((s) => s.subscribed.size > 0).length;
    },
    close: async () => {
      await modern?.close();
      for (const s of sessions.values()) await s.transport.close().catch(() => undefined);
      http.closeAllConnections();
      await closeServer(http);
    },
  };
}
