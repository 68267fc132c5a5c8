// Connects to a backend as an MCP client and lists its tools: the core of "Test connection".
// Failures become one sentence saying what went wrong, followed by the exact error.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { isOutboundRefused } from "@/lib/net/outbound-policy";
import { safeFetch } from "@/lib/net/safe-fetch";

export interface ListToolsTarget {
  url: string;
  transport: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface BackendTool {
  name: string;
  description?: string;
}

const MAX_PAGES = 50;

export class BackendCheckError extends Error {
  override name = "BackendCheckError";
  constructor(
    message: string,
    /** The backend's HTTP status, when it answered with one. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export async function listBackendTools(target: ListToolsTarget): Promise<{ tools: BackendTool[]; serverName?: string }> {
  const url = new URL(target.url);
  const requestInit = { headers: target.headers };
  const transport: Transport =
    target.transport === "sse" ? new SSEClientTransport(url, { requestInit, fetch: safeFetch }) : new StreamableHTTPClientTransport(url, { requestInit, fetch: safeFetch });
  const client = new Client({ name: "gatehouse-test-connection", version: "1.0.0" });
  const options = { timeout: target.timeoutMs, maxTotalTimeout: target.timeoutMs };
  try {
    await client.connect(transport, options);
    const tools: BackendTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await client.listTools(cursor ? { cursor } : undefined, options);
      tools.push(...result.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}) })));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return { tools, serverName: client.getServerVersion()?.name };
  } catch (e) {
    throw describeFailure(e, target);
  } finally {
    await client.close().catch(() => undefined);
  }
}

function describeFailure(e: unknown, target: ListToolsTarget): BackendCheckError {
  const err = e instanceof Error ? e : new Error(String(e));
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: unknown }).code;
  const exact = cause?.message ? `${err.message}: ${cause.message}` : err.message;
  const refused = [err, cause].find(isOutboundRefused);
  if (refused) return new BackendCheckError(`Not connecting to ${target.url}: ${refused.message}`);
  if (code === "ECONNREFUSED") return new BackendCheckError(`Could not connect to ${target.url}: connection refused (${exact})`);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new BackendCheckError(`Could not resolve the host of ${target.url} (${exact})`);
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return new BackendCheckError(`The connection to ${target.url} was closed (${exact})`);
  // The SDK's request timeout is McpError -32001; AbortSignal.timeout yields TimeoutError.
  if (code === -32001 || err.name === "TimeoutError") return new BackendCheckError(`No answer from ${target.url} within ${target.timeoutMs} ms (${exact})`);
  if (typeof code === "number" && code >= 400 && code < 600) {
    const hint = code === 401 || code === 403 ? "; check the outgoing auth mode and its credential" : "";
    return new BackendCheckError(`The backend answered HTTP ${code}${hint} (${exact})`, code);
  }
  return new BackendCheckError(`MCP connection to ${target.url} failed (${exact})`);
}
