// Calls to a backend on the legacy HTTP+SSE transport cannot be relayed byte for byte (its answers
// arrive on a separate event stream), so they go through the pooled SDK Client instead, and the
// result comes back as one JSON response (no progress notifications on this transport).
import { ProtocolError, SdkError, SdkErrorCode } from "@modelcontextprotocol/client";
import { secretsInPlay } from "@/gateway/credentials/credentials";
import { rpcError, rpcResult } from "@/gateway/replies/replies";
import { TimeoutError, upstreamError } from "@/gateway/replies/upstream-errors";
import type { GatewayReply } from "@/gateway/types";
import type { Forward, ForwardDeps } from "@/gateway/upstream/forward-call";
import type { UpstreamSession } from "@/gateway/upstream/session-pool";
import { RPC } from "@/lib/json-rpc-errors";
import { secretFreeExcerpt } from "@/lib/scrub-secrets";

type ForwardedMethod =
  "tools/call" | "prompts/get" | "resources/read" | "completion/complete" | "resources/subscribe" | "resources/unsubscribe";

export async function forwardViaClient(deps: ForwardDeps, f: Forward): Promise<GatewayReply> {
  const { backend, message } = f;
  const request = JSON.parse(f.body) as { method: ForwardedMethod; params: Record<string, unknown> };
  const clientGone = new AbortController();
  const offAbort = f.onAbort(() => clientGone.abort());
  try {
    const session = await deps.pool.acquire(backend, f.credential);
    const signal = AbortSignal.any([clientGone.signal, AbortSignal.timeout(backend.timeoutMs)]);
    const options = { signal, timeout: backend.timeoutMs };
    const { client } = session;
    const params = request.params as never;
    const result = await send(client, request.method, params, options);
    const isError = (result as { isError?: unknown }).isError === true;
    f.onOutcome(isError ? { ok: false, error: "the tool reported an error" } : { ok: true });
    return rpcResult(message.id, f.rewriteResult ? f.rewriteResult(result as Record<string, unknown>) : result);
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

type Options = { signal: AbortSignal; timeout: number };

function send(client: UpstreamSession["client"], method: ForwardedMethod, params: never, options: Options): Promise<unknown> {
  switch (method) {
    case "tools/call":
      return client.callTool(params, options);
    case "prompts/get":
      return client.getPrompt(params, options);
    case "resources/read":
      return client.readResource(params, options);
    case "completion/complete":
      return client.complete(params, options);
    case "resources/subscribe":
      return client.subscribeResource(params, options);
    case "resources/unsubscribe":
      return client.unsubscribeResource(params, options);
  }
}
