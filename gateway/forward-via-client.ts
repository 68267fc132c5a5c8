// Calls to a backend on the legacy HTTP+SSE transport cannot be relayed byte for byte (its answers
// arrive on a separate event stream), so they go through the pooled SDK Client instead, and the
// result comes back as one JSON response (no progress notifications on this transport).
import { CallToolResultSchema, GetPromptResultSchema, McpError, ReadResourceResultSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Forward, Forwarded, ForwardDeps } from "./forward-call";
import { RPC, rpcError, rpcResult } from "./replies";
import { TimeoutError, upstreamError } from "./upstream-errors";

const schemas = { "tools/call": CallToolResultSchema, "prompts/get": GetPromptResultSchema, "resources/read": ReadResourceResultSchema };

export async function forwardViaClient(deps: ForwardDeps, f: Forward): Promise<Forwarded> {
  const { backend, message } = f;
  const request = JSON.parse(f.body) as { method: keyof typeof schemas; params: Record<string, unknown> };
  try {
    const session = await deps.pool.acquire(backend, f.credential);
    const signal = AbortSignal.any([f.signal, AbortSignal.timeout(backend.timeoutMs)]);
    const result = await session.client.request({ method: request.method, params: request.params }, schemas[request.method], { signal, timeout: backend.timeoutMs });
    const isError = (result as { isError?: unknown }).isError === true;
    return { reply: rpcResult(message.id, result), outcome: Promise.resolve(isError ? { ok: false, error: "the tool reported an error" } : { ok: true }) };
  } catch (e) {
    if (e instanceof McpError && e.code !== -32001) {
      const text = e.message.replace(/^MCP error -?\d+: /, "");
      return { reply: rpcError(message.id, e.code, text, e.data), outcome: Promise.resolve({ ok: false, error: text.slice(0, 300) }) };
    }
    const timedOut = (e as Error).name === "TimeoutError" || (e as Error).name === "AbortError" || (e instanceof McpError && e.code === -32001);
    const err = upstreamError(backend, timedOut && !f.signal.aborted ? new TimeoutError() : e);
    return { reply: rpcError(message.id, RPC.internalError, err.message, { backend: backend.slug }), outcome: Promise.resolve({ ok: false, error: err.message }) };
  }
}
