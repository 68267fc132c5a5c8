// The per-call path: tools/call, prompts/get and resources/read go to the backend as they came, with
// only the name rewritten and the backend's credential added, over a keep-alive socket. A JSON answer
// with a known length is read whole and answered with a content-length (one write to the client); an
// SSE stream (progress notifications) is relayed as it arrives. Nothing from the client's HTTP
// request (its Authorization above all) is passed on. Per call: one timer, no AbortController.
import type { ClientRequest, IncomingMessage } from "node:http";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { secretsInPlay, type Credential } from "@/gateway/credentials/credentials";
import { rpcError } from "@/gateway/replies/replies";
import { httpReason, TimeoutError, upstreamError } from "@/gateway/replies/upstream-errors";
import type { GatewayReply, JsonRpcRequest, McpCaller } from "@/gateway/types";
import { answerBackendRequest, isBackendRequest } from "@/gateway/upstream/backend-requests";
import type { ClientInputChannel } from "@/gateway/upstream/client-input";
import type { InflightCalls } from "@/gateway/upstream/inflight";
import { jsonOutcome, tapResponse, type CallOutcome } from "@/gateway/upstream/response-tap";
import type { UpstreamPool, UpstreamSession } from "@/gateway/upstream/session-pool";
import { readAll, readSome } from "@/gateway/upstream/upstream-body";
import { postUpstream } from "@/gateway/upstream/upstream-http";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { AppError } from "@/lib/errors";
import { RPC } from "@/lib/json-rpc-errors";
import { observeUpstream } from "@/lib/metrics/observe";
import { secretFreeExcerpt } from "@/lib/scrub-secrets";
import { endSpan, injectTraceContext, startUpstreamSpan } from "@/lib/tracing/spans";

export interface ForwardDeps {
  pool: UpstreamPool;
  inflight: InflightCalls;
  onListChanged(session: UpstreamSession): void;
  /** The backend answered 401 to this credential: forget it, so the next call does not send it again. */
  onCredentialRejected?(backend: RuntimeBackend, credential: Credential): void;
}

export interface Forward {
  backend: RuntimeBackend;
  credential: Credential;
  caller: McpCaller;
  message: JsonRpcRequest;
  /** The JSON-RPC request as the backend gets it. */
  body: string;
  /** Registers what to do when the client goes away; returns the function that unregisters it. */
  onAbort(listener: () => void): () => void;
  /** Called once with the call's outcome, when the response has gone through (for the audit). */
  onOutcome(outcome: CallOutcome): void;
  /** The result as the client gets it (resource URIs prefixed, stamped for its era); unchanged when absent. */
  rewriteResult?(result: Record<string, unknown>): Record<string, unknown>;
  /** How to ask this client for input mid-call, given a way to write to the call's stream. */
  clientInput?(stream: { send(message: unknown): void }): ClientInputChannel | undefined;
}

/** JSON answers up to this size (with a content-length) are read whole, then sent in one write. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** How much of a backend's error text reaches the client's message and the audit row. */
const MAX_ERROR_TEXT = 300;
const JSON_REPLY_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };
const SSE_REPLY_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-store" };

/** Throws AppError("link_required") when a linked-account backend refuses the user's token (401). */
export async function forwardCall(deps: ForwardDeps, f: Forward): Promise<GatewayReply> {
  const { backend, message } = f;
  const upstreamStartedAt = performance.now();
  const span = startUpstreamSpan(backend.slug, backend.url);
  let request: ClientRequest | undefined;
  let response: IncomingMessage | undefined;
  let stopped: Error | undefined;
  let timedOut = false;
  const stop = (why: Error) => {
    stopped ??= why;
    request?.destroy(why);
    response?.destroy();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop(new TimeoutError());
  }, backend.timeoutMs);
  const offAbort = f.onAbort(() => stop(new Error("the client went away")));
  let session: UpstreamSession | undefined;
  const untrack = deps.inflight.add(f.caller, message.id, () => {
    if (session) void sendCancellation(session, message.id);
    stop(new Error("cancelled by the client"));
  });
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    clearTimeout(timer);
    offAbort();
    untrack();
  };
  // Only on a failure: the secrets a backend could echo into its error text.
  const secrets = () => secretsInPlay(backend, f.credential, f.caller);
  const done = (o: CallOutcome) => {
    cleanup();
    const outcome = timedOut ? "timeout" : o.ok ? "success" : "error";
    observeUpstream(backend.slug, outcome, (performance.now() - upstreamStartedAt) / 1000);
    endSpan(span, o.ok && !timedOut);
    if (timedOut) return f.onOutcome({ ok: false, error: `timeout after ${backend.timeoutMs} ms` });
    f.onOutcome(o.error === undefined ? o : { ...o, error: secretFreeExcerpt(o.error, secrets(), MAX_ERROR_TEXT) });
  };
  const fail = (e: unknown): GatewayReply => {
    const err = upstreamError(backend, timedOut ? new TimeoutError() : e, secrets());
    done({ ok: false, error: err.message });
    return rpcError(message.id, RPC.internalError, err.message, { backend: backend.slug });
  };
  const post = (s: UpstreamSession) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      if (stopped) return reject(stopped);
      request = postUpstream(s.backend.url, injectTraceContext(span, upstreamHeaders(s)), f.body, resolve, reject);
    });

  try {
    const acquired = deps.pool.acquire(backend, f.credential);
    session = acquired instanceof Promise ? await acquired : acquired;
    let res = await post(session);
    if (res.statusCode === 404 && sessionIdOf(session)) {
      // The backend forgot our session (restart, expiry): set up a new one, once.
      res.resume();
      deps.pool.discard(session);
      session = await deps.pool.acquire(backend, f.credential);
      res = await post(session);
    }
    response = res;
    res.on("error", () => undefined); // "close" (without "end") tells
    const status = res.statusCode ?? 502;
    const type = String(res.headers["content-type"] ?? "")
      .split(";")[0]!
      .trim()
      .toLowerCase();
    if (status < 200 || status >= 300 || (type !== "application/json" && type !== "text/event-stream")) {
      const detail = secretFreeExcerpt(await readSome(res).catch(() => ""), secrets(), MAX_ERROR_TEXT);
      if (status === 401) deps.onCredentialRejected?.(backend, f.credential);
      if (status === 401 && backend.auth?.mode === "linked_account") {
        // The provider no longer honours the linked token (revoked there, say): the cure is to link again.
        cleanup();
        endSpan(span, false);
        throw new AppError("link_required", `${backend.auth.providerName} refused the linked account's token.`);
      }
      const why = status >= 200 && status < 300 ? `answered with an unexpected content type "${type}"` : httpReason(status);
      return fail(
        new AppError("upstream", `Backend "${backend.displayName}" (${backend.slug}) ${why}.${detail ? ` It said: ${detail}` : ""}`),
      );
    }
    if (type === "application/json" && Number(res.headers["content-length"]) <= MAX_BUFFERED_BYTES) {
      const body = await readAll(res);
      done(jsonOutcome(body.toString("utf8"), message.id, () => deps.onListChanged(session!)));
      return {
        status: 200,
        headers: { ...JSON_REPLY_HEADERS },
        body: f.rewriteResult ? rewriteJson(body, message.id, f.rewriteResult) : body,
      };
    }
    return relay(res, session, type === "text/event-stream");
  } catch (e) {
    if (e instanceof AppError && e.code === "link_required") throw e;
    return fail(e);
  }

  function relay(res: IncomingMessage, current: UpstreamSession, sse: boolean): GatewayReply {
    const input: { channel?: ClientInputChannel } = {};
    const body = tapResponse(res, {
      sse,
      id: message.id,
      rewrite: (m) => {
        if (isBackendRequest(m)) {
          void answerBackendRequest(current, upstreamHeaders(current), m, input.channel);
          return null;
        }
        if (f.rewriteResult && m.id === message.id && typeof m.result === "object" && m.result !== null)
          return { ...m, result: f.rewriteResult(m.result as Record<string, unknown>) };
        return undefined;
      },
      onListChanged: () => deps.onListChanged(current),
      onOutcome: done,
      // Cut off (timeout, backend gone): an SSE client still gets a closing error event.
      closing: () => {
        if (!sse) return undefined;
        const err = upstreamError(backend, timedOut ? new TimeoutError() : new Error("the backend closed the stream"));
        return `\n\nevent: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: message.id, error: { code: RPC.internalError, message: err.message, data: { backend: backend.slug } } })}\n\n`;
      },
    });
    input.channel = f.clientInput?.({ send: (m) => body.sendMessage(m) });
    return { status: 200, headers: { ...(sse ? SSE_REPLY_HEADERS : JSON_REPLY_HEADERS) }, body };
  }
}

function rewriteJson(
  body: Buffer,
  id: JsonRpcRequest["id"],
  rewrite: (r: Record<string, unknown>) => Record<string, unknown>,
): Buffer | string {
  try {
    const m = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    if (m.id !== id || typeof m.result !== "object" || m.result === null) return body;
    return JSON.stringify({ ...m, result: rewrite(m.result as Record<string, unknown>) });
  } catch {
    return body;
  }
}

function sessionIdOf(session: UpstreamSession): string | undefined {
  return session.transport instanceof StreamableHTTPClientTransport ? session.transport.sessionId : undefined;
}

export function upstreamHeaders(session: UpstreamSession): Record<string, string> {
  const t = session.transport as StreamableHTTPClientTransport;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": t.protocolVersion ?? LATEST_PROTOCOL_VERSION,
  };
  if (t.sessionId) headers["mcp-session-id"] = t.sessionId;
  return Object.assign(headers, session.headers);
}

/** Tells the backend the client cancelled (the request id is the client's own: it is not rewritten). */
function sendCancellation(session: UpstreamSession, requestId: string | number): void {
  const note = JSON.stringify({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId, reason: "cancelled by the client" },
  });
  const req = postUpstream(
    session.backend.url,
    upstreamHeaders(session),
    note,
    (res) => res.resume(),
    () => undefined,
  );
  req.setTimeout(5_000, () => req.destroy());
}
