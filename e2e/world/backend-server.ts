// The HTTP side every test backend shares: down switch, auth hook, call recording, MCP serving.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { jsonRpcMessages, McpServerPool, sendMethodNotAllowed, type JsonRpcMessage } from "./backend-mcp.js";
import { dualEraServing } from "./dual-era-http.js";
import { closeServer, flattenHeaders, listen, readJsonBody, sendJson } from "./http.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpServer as ModernMcpServer } from "@modelcontextprotocol/server";

export interface RecordedCall {
  tool: string;
  /** The Authorization header exactly as received. */
  authorization?: string;
  /** Who the backend took the caller to be; null when it rejected the credential. */
  identity: string | null;
  at: number;
  headers: Record<string, string>;
}

export interface TestBackend {
  name: string;
  /** The MCP endpoint, e.g. http://127.0.0.1:P/mcp */
  url: string;
  /** Every tools/call received while up, accepted or rejected, in arrival order. */
  calls: RecordedCall[];
  /** tools/list requests received while up. */
  listRequests: number;
  /** sleep calls that stopped early because they were cancelled. */
  cancellations: number;
  close(): Promise<void>;
  /** Answers 503 to everything while down. */
  setDown(down: boolean): void;
}

export type AuthOutcome =
  { identity: string; auth: AuthInfo } | { reject: { status: number; body: unknown; headers?: Record<string, string> } };

export interface BackendSpec {
  name: string;
  port?: number;
  authenticate(req: IncomingMessage): Promise<AuthOutcome> | AuthOutcome;
  buildServer(inflight: InflightCalls): McpServer;
  /** Set: 2026-07-28 requests are served by these (SDK v2) on the same URL, beside the handshake era. */
  buildModernServer?(): ModernMcpServer;
}

/**
 * In-flight calls by JSON-RPC id. A stateless server receives `notifications/cancelled` in a POST of
 * its own, which the SDK cannot relate to the request it names; this registry does.
 */
export class InflightCalls {
  private readonly controllers = new Map<string, AbortController>();
  cancellations = 0;

  /** A signal that aborts with the request's own signal or when a cancellation names its id. */
  track(requestId: string | number, own: AbortSignal): { signal: AbortSignal; done: () => void } {
    const key = String(requestId);
    const controller = new AbortController();
    this.controllers.set(key, controller);
    return {
      signal: AbortSignal.any([own, controller.signal]),
      done: () => {
        if (this.controllers.get(key) === controller) this.controllers.delete(key);
      },
    };
  }

  cancel(requestId: unknown): void {
    if (typeof requestId !== "string" && typeof requestId !== "number") return;
    this.controllers.get(String(requestId))?.abort();
  }
}

export async function startBackend(spec: BackendSpec): Promise<TestBackend> {
  const inflight = new InflightCalls();
  const pool = new McpServerPool(() => spec.buildServer(inflight));
  const modern = spec.buildModernServer;
  const serve = modern ? dualEraServing(modern, (req, res, body, auth) => pool.handle(req, res, body, auth)) : pool.handle.bind(pool);
  const calls: RecordedCall[] = [];
  let listRequests = 0;
  let down = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (down) return sendJson(res, 503, { error: "backend is down" });
    if (new URL(req.url ?? "/", "http://x").pathname !== "/mcp") return sendJson(res, 404, { error: "not found" });
    const body = req.method === "POST" ? await readJsonBody(req) : undefined;
    const messages = jsonRpcMessages(body);
    const outcome = await spec.authenticate(req);
    const identity = "identity" in outcome ? outcome.identity : null;
    listRequests += messages.filter((m) => m.method === "tools/list").length;
    calls.push(...recordCalls(messages, identity, req));
    if ("reject" in outcome) return sendJson(res, outcome.reject.status, outcome.reject.body, outcome.reject.headers);
    if (req.method !== "POST") return sendMethodNotAllowed(res);
    for (const m of messages) if (m.method === "notifications/cancelled") inflight.cancel(m.params?.requestId);
    await serve(req, res, body, outcome.auth);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error(`[${spec.name}] request failed`, err);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.destroy();
    });
  });
  const port = await listen(server, spec.port ?? 0, "127.0.0.1");

  return {
    name: spec.name,
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    get listRequests() {
      return listRequests;
    },
    get cancellations() {
      return inflight.cancellations;
    },
    close: () => closeServer(server),
    setDown: (value) => {
      down = value;
    },
  };
}

function recordCalls(messages: JsonRpcMessage[], identity: string | null, req: IncomingMessage): RecordedCall[] {
  return messages
    .filter((m) => m.method === "tools/call")
    .map((m) => ({
      tool: typeof m.params?.name === "string" ? m.params.name : "",
      authorization: req.headers.authorization,
      identity,
      at: Date.now(),
      headers: flattenHeaders(req),
    }));
}
