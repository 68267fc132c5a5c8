// Serving stateless Streamable HTTP MCP with reusable McpServer instances.
// The SDK wants a fresh transport per stateless request, but an McpServer can reconnect once its
// previous transport closed. Reusing servers keeps tool registration off the per-request path,
// which matters because these servers are the baseline of throughput benchmarks.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "./http.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

const MAX_IDLE_SERVERS = 64;

export class McpServerPool {
  private readonly idle: McpServer[] = [];

  constructor(private readonly build: () => McpServer) {}

  /** Serves one POST; `auth` reaches tool handlers as `extra.authInfo`. */
  async handle(req: IncomingMessage, res: ServerResponse, body: unknown, auth?: AuthInfo): Promise<void> {
    const server = this.idle.pop() ?? this.build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const connected = server.connect(transport);
    // Closing the server aborts its in-flight handlers (extra.signal): a client that hangs up cancels.
    res.on("close", () => {
      void connected
        .then(() => server.close())
        .finally(() => {
          if (this.idle.length < MAX_IDLE_SERVERS) this.idle.push(server);
        });
    });
    await connected;
    if (auth) (req as IncomingMessage & { auth?: AuthInfo }).auth = auth;
    await transport.handleRequest(req, res, body);
  }
}

/** What the SDK answers for GET/DELETE on a stateless server: no standalone stream, no session. */
export function sendMethodNotAllowed(res: ServerResponse): void {
  sendJson(res, 405, { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null }, { allow: "POST" });
}

export interface JsonRpcMessage {
  method?: string;
  id?: string | number;
  params?: { name?: unknown; requestId?: unknown };
}

/** The JSON-RPC messages of a POST body (a single message or a batch). */
export function jsonRpcMessages(body: unknown): JsonRpcMessage[] {
  const list = Array.isArray(body) ? body : [body];
  return list.filter((m): m is JsonRpcMessage => typeof m === "object" && m !== null);
}
