// A backend with every kind of thing a gateway must carry: tools (one that asks the person through
// elicitation, one that asks the client's model through sampling), a resource, a resource template
// with completions, and a prompt with a completable argument. `era: "2025-11-25"` serves only the
// handshake era (SDK v1, sessions: the backend's mid-call requests go out on the call's stream and
// the answer comes back in a POST of the same session); `era: "both"` serves 2026-07-28 on the same
// URL too (SDK v2; mid-call input as `input_required` and a retry), as GitLab is doing.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { dualEraServing } from "./dual-era-http.js";
import { closeServer, listen, readJsonBody, sendJson } from "./http.js";
import { completable as completableV1 } from "@modelcontextprotocol/sdk/server/completable.js";
import { McpServer as McpServerV1, ResourceTemplate as TemplateV1 } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CreateMessageResultSchema, ElicitResultSchema, isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { acceptedContent, completable, inputRequired, inputResponse, McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import { z } from "zod";

export interface EverythingBackend {
  url: string;
  /** Every `_meta` and header set a 2026-07-28 request arrived with (for tests). */
  modernRequests: { method: string; headers: Record<string, string | undefined>; meta: Record<string, unknown> }[];
  /** How each handshake-era ask_name call went for the backend: `answered:<action>`, `error`, or `cancelled` by the gateway. */
  askOutcomes: string[];
  close(): Promise<void>;
}

const NOTE_IDS = ["alpha", "beta", "gamma"];
const nameSchema = { type: "object" as const, properties: { name: { type: "string" as const, title: "Your name" } }, required: ["name"] };
const about = (uri: string) => ({ contents: [{ uri, mimeType: "text/plain", text: "Everything backend." }] });
const note = (uri: string, id: string) => ({ contents: [{ uri, mimeType: "text/plain", text: `Note ${id}.` }] });
const greeting = (name: string) => ({
  messages: [{ role: "user" as const, content: { type: "text" as const, text: `Greet ${name} warmly.` } }],
});
const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });

function handshakeServer(askOutcomes: string[]): McpServerV1 {
  const mcp = new McpServerV1({ name: "everything", version: "1.0.0" });
  mcp.registerTool("echo", { inputSchema: { text: z.string() } }, ({ text: t }) => text(t));
  mcp.registerTool("ask_name", { description: "Asks for your name." }, async (extra) => {
    extra.signal.addEventListener("abort", () => askOutcomes.push("cancelled"));
    const r = await extra
      .sendRequest({ method: "elicitation/create", params: { message: "Your name?", requestedSchema: nameSchema } }, ElicitResultSchema)
      .catch((e: unknown) => {
        askOutcomes.push("error");
        throw e;
      });
    askOutcomes.push(`answered:${r.action}`);
    return text(r.action === "accept" ? `Hello, ${String(r.content?.name)}.` : `No name (${r.action}).`);
  });
  mcp.registerTool("summarize", { inputSchema: { text: z.string() } }, async ({ text: t }, extra) => {
    const r = await extra.sendRequest(
      { method: "sampling/createMessage", params: { messages: [{ role: "user", content: { type: "text", text: t } }], maxTokens: 50 } },
      CreateMessageResultSchema,
    );
    return text(`Summary: ${r.content.type === "text" ? r.content.text : "?"}`);
  });
  mcp.registerResource("about", "info://about", { mimeType: "text/plain" }, (uri) => about(uri.href));
  const template = new TemplateV1("notes://{id}", { list: undefined, complete: { id: (v) => NOTE_IDS.filter((i) => i.startsWith(v)) } });
  mcp.registerResource("note", template, { mimeType: "text/plain" }, (uri, { id }) => note(uri.href, String(id)));
  mcp.registerPrompt(
    "greet",
    { argsSchema: { name: completableV1(z.string(), (v) => ["Ada", "Alan"].filter((n) => n.startsWith(v))) } },
    ({ name }) => greeting(name),
  );
  return mcp;
}

function modernServer(): McpServer {
  const mcp = new McpServer({ name: "everything", version: "2.0.0" });
  mcp.registerTool("echo", { inputSchema: z.object({ text: z.string() }) }, ({ text: t }) => text(t));
  mcp.registerTool("ask_name", { description: "Asks for your name." }, (ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, "name");
    if (answer.kind === "missing")
      return inputRequired({
        inputRequests: { name: inputRequired.elicit({ message: "Your name?", requestedSchema: nameSchema }) },
        requestState: "asked-name",
      });
    const content = acceptedContent(ctx.mcpReq.inputResponses, "name");
    return text(content ? `Hello, ${String(content.name)}.` : `No name (${answer.kind === "elicit" ? answer.action : answer.kind}).`);
  });
  mcp.registerTool("summarize", { inputSchema: z.object({ text: z.string() }) }, ({ text: t }, ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, "summary");
    if (answer.kind !== "sampling")
      return inputRequired({
        inputRequests: {
          summary: inputRequired.createMessage({ messages: [{ role: "user", content: { type: "text", text: t } }], maxTokens: 50 }),
        },
      });
    const c = answer.result.content;
    return text(`Summary: ${!Array.isArray(c) && c.type === "text" ? c.text : "?"}`);
  });
  mcp.registerResource("about", "info://about", { mimeType: "text/plain" }, (uri) => about(uri.href));
  const template = new ResourceTemplate("notes://{id}", {
    list: undefined,
    complete: { id: (v) => NOTE_IDS.filter((i) => i.startsWith(v)) },
  });
  mcp.registerResource("note", template, { mimeType: "text/plain" }, (uri, { id }) => note(uri.href, String(id)));
  mcp.registerPrompt(
    "greet",
    { argsSchema: z.object({ name: completable(z.string(), (v) => ["Ada", "Alan"].filter((n) => n.startsWith(v))) }) },
    ({ name }) => greeting(name),
  );
  return mcp;
}

/** Handshake-era serving with sessions (the backend's own requests need the session to be answered). */
function sessionfulServing(askOutcomes: string[]) {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  return async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
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
    await handshakeServer(askOutcomes).connect(transport);
    await transport.handleRequest(req, res, body);
  };
}

export interface EverythingOptions {
  era: "2025-11-25" | "both";
  /** Tests of hostile backends: a JSON-RPC answer to send instead of the SDK's for a 2026-07-28 tools/call. */
  answerCall?(request: { id: unknown; params: Record<string, unknown> }): unknown;
}

export async function startEverythingBackend(opts: EverythingOptions): Promise<EverythingBackend> {
  const modernRequests: EverythingBackend["modernRequests"] = [];
  const askOutcomes: string[] = [];
  const legacy = sessionfulServing(askOutcomes);
  const dual = opts.era === "both" ? dualEraServing(modernServer, legacy) : undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const body = req.method === "POST" ? await readJsonBody(req) : undefined;
      const meta = (body as { params?: { _meta?: Record<string, unknown> } } | undefined)?.params?._meta;
      if (meta?.["io.modelcontextprotocol/protocolVersion"]) {
        const h = (n: string) => req.headers[n] as string | undefined;
        const headers = {
          "mcp-protocol-version": h("mcp-protocol-version"),
          "mcp-method": h("mcp-method"),
          "mcp-name": h("mcp-name"),
          "mcp-session-id": h("mcp-session-id"),
        };
        const request = body as { id: unknown; method?: unknown; params: Record<string, unknown> };
        modernRequests.push({ method: String(request.method), headers, meta });
        const forged = request.method === "tools/call" ? opts.answerCall?.(request) : undefined;
        if (forged !== undefined) return sendJson(res, 200, forged);
      }
      await (dual ?? legacy)(req, res, body);
    })().catch((e: unknown) => {
      console.error("[everything] request failed", e);
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
    });
  });
  const port = await listen(server, 0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    modernRequests,
    askOutcomes,
    close: async () => {
      await dual?.close();
      server.closeAllConnections();
      await closeServer(server);
    },
  };
}
