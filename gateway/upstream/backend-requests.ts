// A handshake-era backend's request to the client on a call's SSE stream (elicitation, sampling,
// roots, ping): asked of the calling client through its ClientInputChannel, whatever era that client
// speaks, and the answer (or a refusal) POSTed back upstream on the same upstream session as the
// JSON-RPC response. The backend's timeout waits while the client is asked. The one place a
// handshake-era backend's mid-call request is handled.
import type { StreamingClientInput } from "@/gateway/upstream/call-stream";
import type { BackendRequest } from "@/gateway/upstream/response-tap";
import type { UpstreamSession } from "@/gateway/upstream/session-pool";
import { upstreamHeaders } from "@/gateway/upstream/upstream-headers";
import { postUpstream } from "@/gateway/upstream/upstream-http";
import { RPC } from "@/lib/json-rpc-errors";
import { log } from "@/lib/log";

/** JSON-RPC code a client uses to refuse a server's request (the spec's sampling example). */
const USER_REJECTED = -1;
const ANSWER_TIMEOUT_MS = 10_000;

/** The client capability each request needs; a client without it is never asked. */
const NEEDS: Record<string, string> = {
  "elicitation/create": "elicitation",
  "sampling/createMessage": "sampling",
  "roots/list": "roots",
};

type Reply = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

export function answerBackendRequest(
  session: UpstreamSession,
  input: StreamingClientInput | undefined,
  request: BackendRequest,
  timer: { pause(): void; resume(): void },
): void {
  timer.pause();
  void replyTo(input, request).then((reply) => {
    timer.resume();
    const req = postUpstream(
      session.backend.url,
      upstreamHeaders(session),
      JSON.stringify({ jsonrpc: "2.0", id: request.id, ...reply }),
      (res) => res.resume(),
      (e) => log.warn({ backend: session.backend.slug, err: e.message }, "could not answer the backend's request"),
    );
    req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy());
  });
}

async function replyTo(input: StreamingClientInput | undefined, request: BackendRequest): Promise<Reply> {
  const { method } = request;
  if (method === "ping") return { result: {} };
  const needs = NEEDS[method];
  if (!input || !needs || input.capabilities[needs] === undefined)
    return { error: { code: RPC.methodNotFound, message: `The client does not support ${method}.` } };
  const key = String(request.id);
  try {
    const answers = await input.ask([{ id: key, method, params: request.params }]);
    return { result: answers[key] ?? {} };
  } catch (e) {
    // The client's own refusal goes back as it gave it.
    const given = (e as { error?: { code?: unknown; message?: unknown; data?: unknown } }).error;
    if (given && typeof given.code === "number" && typeof given.message === "string")
      return { error: { code: given.code, message: given.message, data: given.data } };
    // A form the person never answered is an elicitation "cancel"; anything else a refusal.
    if (method === "elicitation/create") return { result: { action: "cancel" } };
    return { error: { code: USER_REJECTED, message: `The client did not answer: ${(e as Error).message}` } };
  }
}
