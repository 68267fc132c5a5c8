// A handshake-era backend's request to the client on a call's SSE stream (elicitation, sampling,
// roots): asked of the calling client through its ClientInputChannel, whatever era that client
// speaks, and the answer POSTed back upstream on the same upstream session as a JSON-RPC response.
// The backend's timeout waits while the client is asked.
import type { StreamingClientInput } from "@/gateway/upstream/call-stream";
import type { BackendRequest } from "@/gateway/upstream/response-tap";
import type { UpstreamSession } from "@/gateway/upstream/session-pool";
import { upstreamHeaders } from "@/gateway/upstream/upstream-headers";
import { postUpstream } from "@/gateway/upstream/upstream-http";
import { log } from "@/lib/log";

/** JSON-RPC code a client uses to refuse a server's request (the spec's sampling example). */
const USER_REJECTED = -1;
const ANSWER_TIMEOUT_MS = 10_000;

export function answerBackendRequest(
  session: UpstreamSession,
  input: StreamingClientInput,
  request: BackendRequest,
  timer: { pause(): void; resume(): void },
): void {
  timer.pause();
  const key = String(request.id);
  input
    .ask([{ id: key, method: request.method, params: request.params }])
    .then(
      (answers) => ({ jsonrpc: "2.0", id: request.id, result: answers[key] ?? {} }),
      (e: unknown) =>
        // A form the person dismissed is an elicitation "cancel"; anything else a refusal.
        request.method === "elicitation/create"
          ? { jsonrpc: "2.0", id: request.id, result: { action: "cancel" } }
          : {
              jsonrpc: "2.0",
              id: request.id,
              error: { code: USER_REJECTED, message: `The client did not answer: ${(e as Error).message}` },
            },
    )
    .then((answer) => {
      timer.resume();
      const req = postUpstream(
        session.backend.url,
        upstreamHeaders(session),
        JSON.stringify(answer),
        (res) => res.resume(),
        (e) => log.warn({ backend: session.backend.slug, err: e.message }, "could not answer the backend's request"),
      );
      req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy());
    });
}
