// A backend with one slow tool (test-only): `wait` reports progress every 100 ms until its time is up,
// and counts a call that ends cancelled (by the caller's notifications/cancelled, or its stream going
// away) — what a gateway must carry both ways for a long call. `era: "2025-11-25"` serves the handshake
// era only (SDK v1, sessions); `era: "both"` serves 2026-07-28 on the same URL too (SDK v2).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { McpServer as McpServerV1 } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { dualEraServing } from "@/e2e/world/dual-era-http";
import { closeServer, listen, readJsonBody, sendJson } from "@/e2e/world/http";

export interface SlowBackend {
  url: string;
  /** How many `wait` calls ended because they were cancelled. */
  readonly cancellations: number;
  /** How many `wait` calls have started. */
  readonly started: number;
  close(): Promise<void>;
}

type Notify = (progress: number) => Promise<void>;

export async function startSlowBackend(opts: { era: "2025-11-25" | "both" }): Promise<SlowBackend> {
  let cancellations = 0;
  let started = 0;

  /** Ticks until `ms` have passed or the call is cancelled. */
  const wait = async (ms: number, signal: AbortSignal, notify: Notify | undefined) => {
    started++;
    for (let elapsed = 0; elapsed < ms; elapsed += 100) {
      await notify?.(elapsed).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
      if (signal.aborted) {
        cancellations++;
        return { content: [{ type: "text" as const, text: "cancelled" }] };
      }
    }
    await notify?.(ms).catch(() => undefined);
    return { content: [{ type: "text" as const, text: `waited ${ms} ms` }] };
  };

  const handshakeServer = () => {
    const mcp = new McpServerV1({ name: "slow", version: "1.0.0" });
    mcp.registerTool("wait", { inputSchema: { ms: z.number().int().max(60_000) } }, ({ ms }, extra) => {
      const token = extra._meta?.progressToken;
      const notify: Notify | undefined =
        token === undefined
          ? undefined
          : (progress) =>
              extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress, total: ms } });
      return wait(ms, extra.signal, notify);
    });
    return mcp;
  };
  const modernServer = () => {
    const mcp = new McpServer({ name: "slow", version: "2.0.0" });
    mcp.registerTool("wait", { inputSchema: z.object({ ms: z.number().int().max(60_000) }) }, ({ ms }, ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      const notify: Notify | undefined =
        token === undefined
          ? undefined
          : (progress) => ctx.mcpReq.notify({ method: "notifications/progress", params: { progressToken: token, progress, total: ms } });
      return wait(ms, ctx.mcpReq.signal, notify);
    });
    return mcp;
  };

  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const legacy = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    const id = req.headers["mcp-session-id"];
    const known = typeof id === "string" ? sessions.get(id) : undefined;
    if (known) return known.handleRequest(req, res, body);
    if (typeof id === "string")
      return sendJson(res, 404, { jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session not found" } });
    if (req.method !== "POST" || !isInitializeRequest(body)) return sendJson(res, 400, { error: "initialize first" });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (sid) => void sessions.set(sid, transport),
    });
    await handshakeServer().connect(transport);
    await transport.handleRequest(req, res, body);
  };
  const dual = opts.era === "both" ? dualEraServing(modernServer, legacy) : undefined;

  const http = createServer((req, res) => {
    void (async () => {
      const body = req.method === "POST" ? await readJsonBody(req) : undefined;
      await (dual ?? legacy)(req, res, body);
    })().catch((e: unknown) => {
      console.error("[slow] request failed", e);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
    });
  });
  const port = await listen(http, 0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    get cancellations() {
      return cancellations;
    },
    get started() {
      return started;
    },
    close: async () => {
      await dual?.close();
      for (const t of sessions.values()) await t.close().catch(() => undefined);
      http.closeAllConnections();
      await closeServer(http);
    },
  };
}
