// The per-call path: tools/call, prompts/get and resources/read go to the backend as they came, with
// only the name rewritten and the backend's credential added, over a keep-alive socket, and the
// backend's response (JSON or an SSE stream with progress notifications) streams back as it arrives.
// Nothing from the client's HTTP request (its Authorization above all) is passed on.
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import type { IncomingMessage } from "node:http";
import type { RuntimeBackend } from "../lib/backends/runtime";
import { AppError } from "../lib/errors";
import type { Credential } from "./credentials/credentials";
import type { InflightCalls } from "./inflight";
import { RPC, rpcError } from "./replies";
import { tapResponse, type CallOutcome } from "./response-tap";
import type { Caller, GatewayReply, JsonRpcRequest } from "./types";
import { TimeoutError, httpReason, upstreamError } from "./upstream-errors";
import { postUpstream } from "./upstream-http";
import type { UpstreamPool, UpstreamSession } from "./upstream-pool";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export interface ForwardDeps {
  pool: UpstreamPool;
  inflight: InflightCalls;
  onListChanged(session: UpstreamSession): void;
}

export interface Forward {
  backend: RuntimeBackend;
  credential: Credential;
  caller: Caller;
  message: JsonRpcRequest;
  /** The JSON-RPC request as the backend gets it. */
  body: string;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

export interface Forwarded {
  reply: GatewayReply;
  outcome: Promise<CallOutcome>;
}

const MAX_ERROR_BODY = 2_000;

/** Throws AppError("link_required") when a linked-account backend refuses the user's token (401). */
export async function forwardCall(deps: ForwardDeps, f: Forward): Promise<Forwarded> {
  const { backend, message } = f;
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort(new TimeoutError());
  }, backend.timeoutMs);
  const onClientGone = () => abort.abort();
  f.signal.addEventListener("abort", onClientGone);
  let session: UpstreamSession | undefined;
  const untrack = deps.inflight.add(f.caller, message.id, () => {
    if (session) void sendCancellation(session, message.id);
    abort.abort();
  });
  const cleanup = () => {
    clearTimeout(timer);
    f.signal.removeEventListener("abort", onClientGone);
    untrack();
  };
  const fail = (e: unknown): Forwarded => {
    cleanup();
    const err = upstreamError(backend, timedOut ? new TimeoutError() : e);
    return { reply: rpcError(message.id, RPC.internalError, err.message, { backend: backend.slug }), outcome: Promise.resolve({ ok: false, error: err.message }) };
  };

  try {
    session = await deps.pool.acquire(backend, f.credential);
    let res = await post(session, f.body, abort.signal);
    if (res.statusCode === 404 && sessionIdOf(session)) {
      // The backend forgot our session (restart, expiry): set up a new one, once.
      res.resume();
      deps.pool.discard(session);
      session = await deps.pool.acquire(backend, f.credential);
      res = await post(session, f.body, abort.signal);
    }
    const status = res.statusCode ?? 502;
    const type = String(res.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (status < 200 || status >= 300 || (type !== "application/json" && type !== "text/event-stream")) {
      const detail = scrub(await readSome(res).catch(() => ""), f.credential);
      if (status === 401 && backend.auth?.mode === "linked_account") {
        // The provider no longer honours the linked token (revoked there, say): the cure is to link again.
        cleanup();
        throw new AppError("link_required", `${backend.auth.providerName} refused the linked account's token.`);
      }
      const why = status >= 200 && status < 300 ? `answered with an unexpected content type "${type}"` : httpReason(status);
      return fail(new AppError("upstream", `Backend "${backend.displayName}" (${backend.slug}) ${why}.${detail ? ` It said: ${detail}` : ""}`));
    }
    return stream(res, type === "text/event-stream");
  } catch (e) {
    if (e instanceof AppError && e.code === "link_required") throw e;
    return fail(e);
  }

  function stream(res: IncomingMessage, sse: boolean): Forwarded {
    const current = session!;
    const tap = tapResponse({ sse, id: message.id, onListChanged: () => deps.onListChanged(current) });
    res.pipe(tap.stream);
    res.on("error", () => undefined);
    res.on("close", () => {
      if (res.complete) return;
      // Cut off (timeout, backend gone, client gone): an SSE client still gets a closing error event.
      res.unpipe(tap.stream);
      if (sse && !tap.stream.writableEnded) {
        const err = upstreamError(backend, timedOut ? new TimeoutError() : new Error("the backend closed the stream"));
        tap.stream.end(`\n\nevent: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: message.id, error: { code: RPC.internalError, message: err.message, data: { backend: backend.slug } } })}\n\n`);
      } else tap.stream.destroy();
    });
    const outcome = tap.outcome.then((o) => (timedOut ? { ok: false, error: `timeout after ${backend.timeoutMs} ms` } : o)).finally(cleanup);
    return { reply: { status: 200, headers: { "content-type": sse ? "text/event-stream" : "application/json", "cache-control": "no-store" }, body: tap.stream }, outcome };
  }
}

function sessionIdOf(session: UpstreamSession): string | undefined {
  return session.transport instanceof StreamableHTTPClientTransport ? session.transport.sessionId : undefined;
}

function upstreamHeaders(session: UpstreamSession): Record<string, string> {
  const t = session.transport as StreamableHTTPClientTransport;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": t.protocolVersion ?? LATEST_PROTOCOL_VERSION,
  };
  if (t.sessionId) headers["mcp-session-id"] = t.sessionId;
  return { ...headers, ...session.headers };
}

function post(session: UpstreamSession, body: string, signal: AbortSignal): Promise<IncomingMessage> {
  return postUpstream(session.backend.url, upstreamHeaders(session), body, signal);
}

/** Tells the backend the client cancelled (the request id is the client's own: it is not rewritten). */
async function sendCancellation(session: UpstreamSession, requestId: string | number): Promise<void> {
  const note = JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId, reason: "cancelled by the client" } });
  const res = await postUpstream(session.backend.url, upstreamHeaders(session), note, AbortSignal.timeout(5_000)).catch(() => undefined);
  res?.resume();
}

/** A backend may echo what it received: no credential goes back to the client. */
function scrub(text: string, credential: Credential): string {
  const secrets = Object.values(credential.headers).flatMap((v) => [v, v.replace(/^Bearer\s+/i, "")]).filter((s) => s.length >= 4);
  return secrets.reduce((t, s) => t.split(s).join("[redacted]"), text);
}

async function readSome(res: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of res) {
    if (text.length < MAX_ERROR_BODY) text += (chunk as Buffer).toString("utf8");
  }
  return text.slice(0, 300).replace(/\s+/g, " ").trim();
}
