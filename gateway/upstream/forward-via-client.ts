// Calls to a backend on the legacy HTTP+SSE transport cannot be relayed byte for byte (its answers
// arrive on a separate event stream), so they go through the pooled SDK Client instead, and the
// result comes back as one JSON response (no progress notifications on this transport).
import { ProtocolError, SdkError, SdkErrorCode } from "@modelcontextprotocol/client";
import { secretsInPlay } from "@/gateway/credentials/credentials";
import { rpcError, rpcResult } from "@/gateway/replies/replies";
import { TimeoutError, upstreamError } from "@/gateway/replies/upstream-errors";
import type { GatewayReply } from "@/gateway/types";
import type { Forward, ForwardDeps } from "@/gateway/upstream/forward-call";
import { RPC } from "@/lib/json-rpc-errors";
import { secretFreeExcerpt } from "@/lib/scrub-secrets";

export async function forwardViaClient(deps: ForwardDeps, f: Forward): Promise<GatewayReply> {
  const { backend, message } = f;
  const request = JSON.parse(f.body) as { method: "tools/call" | "prompts/get" | "resources/read"; params: Record<string, unknown> };
  const clientGone = new AbortController();
  const offAbort = f.onAbort(() => clientGone.abort());
  try {
    const session = await deps.pool.acquire(backend, f.credential);
    const signal = AbortSignal.any([clientGone.signal, AbortSignal.timeout(backend.timeoutMs)]);
    const options = { signal, timeout: backend.timeoutMs };
    const { client } = session;
    const params = request.params as never;
    const result =
      request.method === "tools/call"
        ? await client.callTool(params, options)
        : request.method === "prompts/get"
          ? await client.getPrompt(params, options)
          : await client.readResource(params, options);
    const isError = (result as { isError?: unknown }).isError === true;
    f.onOutcome(isError ? { ok: false, error: "the tool reported an error" } : { ok: true });
    return rpcResult(message.id, result);
  } catch (e) {
    const secrets = secretsInPlay(backend, f.credential, f.caller);
    if (e instanceof ProtocolError && e.code !== RPC.requestTimeout) {
      const text = e.message.replace(/^MCP error -?\d+: /, "");
      f.onOutcome({ ok: false, error: secretFreeExcerpt(text, secrets, 300) });
      return rpcError(message.id, e.code, text, e.data);
    }
    const timedOut =
      (e as Error).name === "TimeoutError" ||
      (e as Error).name === "AbortError" ||
      (e instanceof SdkError && e.code === SdkErrorCode.RequestTimeout) ||
      (e instanceof ProtocolError && e.code === RPC.requestTimeout);
    const err = upstreamError(backend, timedOut && !clientGone.signal.aborted ? new TimeoutError() : e, secrets);
    f.onOutcome({ ok: false, error: err.message });
    return rpcError(message.id, RPC.internalError, err.message, { backend: backend.slug });
  } finally {
    offAbort();
  }
}
