// A backend that covers every server scenario of the official MCP conformance suite (the suite's own
// reference server, everything-server.ts, is not shipped by npm): the tools, resources, templates,
// prompts, completions, logging and subscriptions each scenario expects, over stateful Streamable
// HTTP sessions with an event store (stream resumption). Test-only.
import { randomUUID } from "node:crypto";
import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InMemoryEventStore } from "@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { getPrompt, PROMPTS, readResource, RESOURCE_TEMPLATES, RESOURCES } from "@/testkit/conformance/everything-content";
import { callTool, TOOLS } from "@/testkit/conformance/everything-tools";

/** `pageSize`: list tools, prompts and resources in pages of that many (the suite reads one page). */
function buildServer(pageSize?: number): Server {
  const server = new Server(
    { name: "everything-backend", version: "1.0.0" },
    {
      capabilities: {
        tools: {},
        prompts: {},
        resources: { subscribe: true },
        logging: {},
        completions: {},
      },
    },
  );
  const subscriptions = new Set<string>();
  const paged = <T>(items: T[], cursor: string | undefined): { items: T[]; nextCursor?: string } => {
    if (!pageSize) return { items };
    const start = Number(cursor ?? 0);
    const next = start + pageSize < items.length ? String(start + pageSize) : undefined;
    return { items: items.slice(start, start + pageSize), ...(next ? { nextCursor: next } : {}) };
  };
  server.setRequestHandler(ListToolsRequestSchema, (req) => {
    const { items, nextCursor } = paged(TOOLS, req.params?.cursor);
    return { tools: items, nextCursor };
  });
  server.setRequestHandler(CallToolRequestSchema, (req, extra) => callTool(server, req.params, extra));
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: RESOURCES }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
  server.setRequestHandler(ReadResourceRequestSchema, (req) => readResource(req.params.uri));
  server.setRequestHandler(SubscribeRequestSchema, (req) => (subscriptions.add(req.params.uri), {}));
  server.setRequestHandler(UnsubscribeRequestSchema, (req) => (subscriptions.delete(req.params.uri), {}));
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, (req) => getPrompt(req.params.name, req.params.arguments ?? {}));
  server.setRequestHandler(SetLevelRequestSchema, () => ({}));
  server.setRequestHandler(CompleteRequestSchema, (req) => {
    const value = req.params.argument.value;
    const values = ["paris", "park", "party", "test", "testing"].filter((v) => v.startsWith(value));
    return { completion: { values, total: values.length, hasMore: false } };
  });
  return server;
}

export interface EverythingBackend {
  url: string;
  close(): Promise<void>;
}

/** Serves at `<origin>/mcp` on a random loopback port. */
export async function startEverythingBackend(opts: { pageSize?: number } = {}): Promise<EverythingBackend> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith("/mcp")) return void res.writeHead(404).end();
    // A loopback server must refuse other host names (DNS rebinding), as the suite checks.
    const host = (req.headers.host ?? "").replace(/:\d+$/, "");
    if (!["localhost", "127.0.0.1", "[::1]"].includes(host)) return void res.writeHead(403).end();
    const id = req.headers["mcp-session-id"];
    const existing = typeof id === "string" ? sessions.get(id) : undefined;
    if (existing) return existing.handleRequest(req, res);
    if (req.method !== "POST" || id !== undefined) {
      res.writeHead(id ? 404 : 400, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message: "No such session." } }));
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      eventStore: new InMemoryEventStore(),
      retryInterval: 500,
      onsessioninitialized: (sid) => void sessions.set(sid, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await buildServer(opts.pageSize).connect(transport);
    await transport.handleRequest(req, res);
  };
  const http: HttpServer = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    async close() {
      for (const t of sessions.values()) await t.close().catch(() => undefined);
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
