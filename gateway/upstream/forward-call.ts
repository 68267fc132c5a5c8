// The per-call path: tools/call, prompts/get and resources/read go to the backend as they came, with
// only the name (and, to a handshake backend's shared session, the id) rewritten and the backend's
// credential added, over a keep-alive socket, in the backend's era (a handshake backend's session; a
// 2026-07-28 backend's per-request `_meta` and routing headers). A JSON answer with a known length is read whole and answered with a
// content-length (one write to the client); an SSE stream (progress notifications) is relayed as it
// arrives. What the backend asks of the client mid-call goes through the call's ClientInputChannel:
// a handshake backend's request on the stream (backend-requests.ts), a 2026 backend's
// `input_required` (input-rounds.ts). Nothing from the client's HTTP request (its Authorization
// above all) is passed on. Per call: one timer, no AbortController.
import type { ClientRequest, IncomingMessage } from "node:http";
import { secretsInPlay, type Credential } from "@/gateway/credentials/credentials";
import { rpcError } from "@/gateway/replies/replies";
import { httpReason, TimeoutError, upstreamError } from "@/gateway/replies/upstream-errors";
import type { GatewayReply, JsonRpcRequest, McpCaller } from "@/gateway/types";
import { answerBackendRequest } from "@/gateway/upstream/backend-requests";
import { translatableCapabilities, type StreamingClientInput } from "@/gateway/upstream/call-stream";
import type { InflightCalls } from "@/gateway/upstream/inflight";
import { readInputRequired } from "@/gateway/upstream/input-required";
import { answerWithInput, RefusedState } from "@/gateway/upstream/input-rounds";
import { modernBody, routingHeaders } from "@/gateway/upstream/modern-request";
import { jsonOutcome, tapResponse, type CallOutcome } from "@/gateway/upstream/response-tap";
import type { UpstreamPool, UpstreamSession } from "@/gateway/upstream/session-pool";
import { readAll, readSome } from "@/gateway/upstream/upstream-body";
import { MODERN_VERSION, type Declared } from "@/gateway/upstream/upstream-client";
import { sendCancellation, sessionIdOf, upstreamHeaders } from "@/gateway/upstream/upstream-headers";
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
  /** How to ask the calling client for input mid-call; none: the client cannot be asked. */
  input?: StreamingClientInput;
  /** A 2026-07-28 client cancels by closing its request stream: its going away is a cancellation. */
  goingAwayCancels?: boolean;
}

/** What the upstream session declares for this client (handshake era) or each request carries (2026). */
const NOTHING_DECLARED: Declared = { capabilities: {} };

export function declaredFor(input: StreamingClientInput | undefined): Declared {
  if (!input) return NOTHING_DECLARED;
  // A client sends the same session (the same capabilities object) call after call: worked out once.
  const protocolVersion = input.era === "2025-11-25" ? input.protocolVersion : undefined;
  const known = declaredByCapabilities.get(input.capabilities);
  if (known && (known === NOTHING_DECLARED || known.protocolVersion === protocolVersion)) return known;
  const capabilities = translatableCapabilities(input);
  // Nothing the backend could ask this client: the session every list and such client shares.
  const declared = Object.keys(capabilities).length === 0 ? NOTHING_DECLARED : { capabilities, protocolVersion };
  declaredByCapabilities.set(input.capabilities, declared);
  return declared;
}

const declaredByCapabilities = new WeakMap<Record<string, unknown>, Declared>();

/**
 * A handshake session is shared by every client with the same credential and declaration, and two
 * clients' calls may carry the same JSON-RPC id (every client counts from 0): upstream, each call
 * goes with an id of the gateway's own, so the backend's answer reaches the call that asked.
 */
let lastUpstreamId = 0;

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
  const onTimeout = () => {
    timedOut = true;
    stop(new TimeoutError());
  };
  let timer = setTimeout(onTimeout, backend.timeoutMs);
  const restartTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(onTimeout, backend.timeoutMs);
  };
  let session: UpstreamSession | undefined;
  const upstreamId = `gatehouse-${++lastUpstreamId}`;
  /** The id the call has at this session's backend (a 2026-07-28 backend's request is its own: the client's id). */
  const idAt = (s: UpstreamSession) => (s.era === MODERN_VERSION ? message.id : upstreamId);
  const offAbort = f.onAbort(() => {
    // A 2026-07-28 backend reads the closed stream as the cancellation; a handshake one must be told.
    if (f.goingAwayCancels && session && session.era !== MODERN_VERSION) void sendCancellation(session, idAt(session));
    stop(new Error("the client went away"));
  });
  const untrack = deps.inflight.add(f.caller, message.id, () => {
    if (session) void sendCancellation(session, idAt(session));
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
    offInput();
    if (timedOut) return f.onOutcome({ ok: false, error: `timeout after ${backend.timeoutMs} ms` });
    f.onOutcome(o.error === undefined ? o : { ...o, error: secretFreeExcerpt(o.error, secrets(), MAX_ERROR_TEXT) });
  };
  const fail = (e: unknown): GatewayReply => {
    const err = e instanceof RefusedState ? refusal(e) : upstreamError(backend, timedOut ? new TimeoutError() : e, secrets());
    done({ ok: false, error: err.message });
    return rpcError(message.id, RPC.internalError, err.message, { backend: backend.slug });
  };
  const declared = declaredFor(f.input);
  // A 2026-07-28 backend: the request as it goes upstream (with `_meta`), and its routing headers.
  let modern: { body: string; headers: Record<string, string> } | undefined;
  let handshakeBody: string | undefined;
  const bodyFor = (s: UpstreamSession) => {
    if (s.era !== MODERN_VERSION) return (handshakeBody ??= JSON.stringify({ ...(JSON.parse(f.body) as object), id: upstreamId }));
    if (!modern) {
      const params = (JSON.parse(f.body) as JsonRpcRequest).params ?? {};
      const name = typeof params.name === "string" ? params.name : typeof params.uri === "string" ? params.uri : undefined;
      modern = { body: modernBody(f.body, declared.capabilities), headers: routingHeaders(message, name) };
    }
    return modern.body;
  };
  const post = (s: UpstreamSession, body = bodyFor(s)) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const send = (firstTry: boolean) => {
        if (stopped) return reject(stopped);
        const sent = postUpstream(
          s.backend.url,
          injectTraceContext(span, modern ? { ...upstreamHeaders(s), ...modern.headers } : upstreamHeaders(s)),
          body,
          resolve,
          (e) => {
            // A kept-alive socket the backend closed (its idle timeout) just as this request went out,
            // reset before any answer: sent once more on a new socket, as Node's documentation advises.
            if (firstTry && sent.reusedSocket && (e as NodeJS.ErrnoException).code === "ECONNRESET") return send(false);
            reject(e);
          },
        );
        request = sent;
      };
      send(true);
    });
  const offInput = () => f.input && session?.inputs.delete(f.input);

  try {
    const acquired = deps.pool.acquire(backend, f.credential, declared);
    session = acquired instanceof Promise ? await acquired : acquired;
    if (f.input) session.inputs.add(f.input);
    let res = await post(session);
    if (res.statusCode === 404 && sessionIdOf(session)) {
      // The backend forgot our session (restart, expiry): set up a new one, once.
      res.resume();
      deps.pool.discard(session);
      session = await deps.pool.acquire(backend, f.credential, declared);
      if (f.input) session.inputs.add(f.input);
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
    const isModern = session.era === MODERN_VERSION;
    const length = Number(res.headers["content-length"] ?? (isModern ? 0 : NaN));
    if (type === "application/json" && length <= MAX_BUFFERED_BYTES) {
      const body = await readAll(res, MAX_BUFFERED_BYTES);
      if (isModern) {
        const asked = askedForInput(body.toString("utf8"), session);
        if (asked) return asked;
      }
      const id = idAt(session);
      done(jsonOutcome(body.toString("utf8"), id, () => deps.onListChanged(session!)));
      return {
        status: 200,
        headers: { ...JSON_REPLY_HEADERS },
        body: f.rewriteResult || id !== message.id ? answerJson(body, id, message.id, f.rewriteResult) : body,
      };
    }
    return relay(res, session, type === "text/event-stream");
  } catch (e) {
    if (e instanceof AppError && e.code === "link_required") throw e;
    return fail(e);
  }

  /** A 2026 backend's input_required: refused, or asked of the client round after round. */
  function askedForInput(text: string, current: UpstreamSession): GatewayReply | undefined {
    const reading = readInputRequired(text, message.id);
    if (reading.kind === "complete") return undefined;
    if (reading.kind === "refused") return fail(new RefusedState(reading.why));
    if (!f.input) return fail(new RefusedState("it needs input from the client (elicitation or sampling), which this client cannot give"));
    return answerWithInput({
      id: message.id,
      first: reading.value,
      input: f.input,
      retry: async (extra) => {
        const res = await post(current, modernBody(f.body, declared.capabilities, extra));
        response = res;
        const status = res.statusCode ?? 502;
        if (status < 200 || status >= 300) {
          res.resume();
          throw new AppError("upstream", `Backend "${backend.displayName}" (${backend.slug}) ${httpReason(status)}.`);
        }
        return (await readAll(res, MAX_BUFFERED_BYTES)).toString("utf8");
      },
      pause: () => clearTimeout(timer),
      resume: restartTimer,
      failure: (e) => {
        const err = e instanceof RefusedState ? refusal(e) : upstreamError(backend, timedOut ? new TimeoutError() : e, secrets());
        return { message: err.message, data: { backend: backend.slug } };
      },
      onListChanged: () => deps.onListChanged(current),
      done,
    });
  }

  function refusal(e: RefusedState): Error {
    return new Error(
      `Backend "${backend.displayName}" (${backend.slug}) asked for client input that Gatehouse refuses to pass on: ${e.message}.`,
    );
  }

  function relay(res: IncomingMessage, current: UpstreamSession, sse: boolean): GatewayReply {
    const id = idAt(current);
    const body = tapResponse(res, {
      sse,
      id,
      rewrite:
        f.rewriteResult || id !== message.id
          ? (m) => {
              if (m.id !== id || m.method !== undefined) return undefined;
              const result =
                f.rewriteResult && typeof m.result === "object" && m.result !== null
                  ? f.rewriteResult(m.result as Record<string, unknown>)
                  : m.result;
              return { ...m, id: message.id, result };
            }
          : undefined,
      onListChanged: () => deps.onListChanged(current),
      onOutcome: done,
      // A handshake backend's request to the client: asked through the channel, answered upstream.
      onRequest:
        sse && current.era !== MODERN_VERSION
          ? (r) => answerBackendRequest(current, f.input, r, { pause: () => clearTimeout(timer), resume: restartTimer })
          : undefined,
      // Cut off (timeout, backend gone): an SSE client still gets a closing error event.
      closing: () => {
        if (!sse) return undefined;
        const err = upstreamError(backend, timedOut ? new TimeoutError() : new Error("the backend closed the stream"));
        return `\n\nevent: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: message.id, error: { code: RPC.internalError, message: err.message, data: { backend: backend.slug } } })}\n\n`;
      },
    });
    // The client's channel may write to the client on this stream (a question for a handshake-era client).
    if (sse) f.input?.bindCallStream?.({ send: (m) => body.sendMessage(m) });
    return { status: 200, headers: { ...(sse ? SSE_REPLY_HEADERS : JSON_REPLY_HEADERS) }, body };
  }
}

/** A whole JSON answer as the client gets it: under the client's own id, the result rewritten for it. */
function answerJson(
  body: Buffer,
  upstreamId: JsonRpcRequest["id"],
  clientId: JsonRpcRequest["id"],
  rewrite: ((r: Record<string, unknown>) => Record<string, unknown>) | undefined,
): Buffer | string {
  try {
    const m = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    if (m.id !== upstreamId) return body;
    const result = rewrite && typeof m.result === "object" && m.result !== null ? rewrite(m.result as Record<string, unknown>) : m.result;
    return JSON.stringify({ ...m, id: clientId, result });
  } catch {
    return body;
  }
}
