// The tools, prompt and resource the test backends offer.
import type { InflightCalls } from "./backend-server.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const PROGRESS_INTERVAL_MS = 100;

export interface BackendToolOptions {
  name: string;
  inflight: InflightCalls;
  whoami: (extra: ToolExtra) => CallToolResult;
  /** Adds echo_1..N, for tool-list benchmarks. */
  extraTools?: number;
  /** Adds the `greeting` prompt and the `info://about` resource. */
  promptsAndResources?: boolean;
}

export function buildBackendServer(opts: BackendToolOptions): McpServer {
  const server = new McpServer({ name: opts.name, version: "1.0.0" });

  server.registerTool("whoami", { description: "Who this backend takes the caller to be." }, (extra) => opts.whoami(extra));

  server.registerTool("echo", { description: "Returns the text it is given.", inputSchema: { text: z.string() } }, ({ text }) =>
    textResult(text),
  );

  server.registerTool("add", { description: "Adds two numbers.", inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) =>
    textResult(String(a + b)),
  );

  server.registerTool(
    "sleep",
    {
      description: "Waits ms milliseconds, reporting progress every 100 ms when asked; stops when cancelled.",
      inputSchema: { ms: z.number().int().min(0).max(600_000) },
    },
    ({ ms }, extra) => sleep(ms, extra, opts.inflight),
  );

  for (let i = 1; i <= (opts.extraTools ?? 0); i++) {
    server.registerTool(`echo_${i}`, { description: `Echo number ${i}.`, inputSchema: { text: z.string() } }, ({ text }) =>
      textResult(text),
    );
  }

  if (opts.promptsAndResources) addPromptAndResource(server, opts.name);
  return server;
}

function addPromptAndResource(server: McpServer, name: string): void {
  server.registerPrompt("greeting", { description: "Greets someone.", argsSchema: { name: z.string() } }, ({ name: who }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Hello, ${who}!` } }],
  }));

  server.registerResource("about", "info://about", { description: "About this backend.", mimeType: "text/plain" }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: "text/plain", text: `${name}: a Gatehouse test backend.` }],
  }));
}

async function sleep(ms: number, extra: ToolExtra, inflight: InflightCalls): Promise<CallToolResult> {
  const { signal, done } = inflight.track(extra.requestId, extra.signal);
  const progressToken = extra._meta?.progressToken;
  const started = Date.now();
  const report = () => {
    const elapsed = Math.min(Date.now() - started, ms);
    const params = { progressToken: progressToken!, progress: elapsed, total: ms, message: `slept ${elapsed} ms` };
    // The client may be gone already; a lost progress notification is not an error.
    extra.sendNotification({ method: "notifications/progress", params }).catch(() => undefined);
  };
  try {
    const completed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(true), ms);
      const ticker = progressToken !== undefined ? setInterval(report, PROGRESS_INTERVAL_MS) : undefined;
      const onAbort = () => finish(false);
      function finish(value: boolean) {
        clearTimeout(timer);
        clearInterval(ticker);
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      }
      if (signal.aborted) finish(false);
      else signal.addEventListener("abort", onAbort);
    });
    if (completed) return textResult(`slept ${ms} ms`);
    inflight.cancellations++;
    return { isError: true, content: [{ type: "text", text: `cancelled after ${Date.now() - started} ms` }] };
  } finally {
    done();
  }
}

export function textResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }] };
}
