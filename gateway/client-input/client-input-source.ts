// The gateway's ClientInputSource: each call's channel to its client, chosen by the client's era (on
// the call's SSE stream for a handshake-era client; an input_required result and a retry for a
// 2026-07-28 client), and the client's answers routed to the replica that holds the call, whichever
// replica the answer's POST (or the retry) reached: PendingAnswers and ParkedCalls.
import { ownerOf, type PendingAnswers } from "@/gateway/client-input/answers";
import { handshakeChannel } from "@/gateway/client-input/handshake-channel";
import { modernChannel } from "@/gateway/client-input/modern-channel";
import type { ParkedCalls } from "@/gateway/client-input/parked-calls";
import { isRetry, resumeCall } from "@/gateway/client-input/resume";
import { translatableCapabilities, type ClientInputSource } from "@/gateway/upstream/call-stream";
import type { InflightCalls } from "@/gateway/upstream/inflight";

/** How long a client has to answer a request put to it mid-call (a person may be typing). */
export const CLIENT_ANSWER_TIMEOUT_MS = 10 * 60_000;
/** How long a call waits for a 2026-07-28 client's retry, and how long its requestState is good for. */
export const INPUT_ROUND_MS = 5 * 60_000;

export interface ClientInputOptions {
  answers: PendingAnswers;
  parked: ParkedCalls;
  inflight: InflightCalls;
  timeoutMs?: number;
  roundMs?: number;
}

export function gatewayClientInput(o: ClientInputOptions): ClientInputSource {
  const timeoutMs = o.timeoutMs ?? CLIENT_ANSWER_TIMEOUT_MS;
  return {
    channelFor({ caller, session, era }) {
      const owner = ownerOf(caller);
      if (era === "2025-11-25") return handshakeChannel({ session, owner, answers: o.answers, timeoutMs });
      if (era !== "2026-07-28") return undefined;
      // A 2026 client that declared nothing a backend could ask of it is never asked.
      const channel = modernChannel({
        session,
        owner,
        parked: o.parked,
        roundMs: o.roundMs ?? INPUT_ROUND_MS,
        cancel: (callId) => o.inflight.cancel(caller, callId),
      });
      return Object.keys(translatableCapabilities(channel)).length ? channel : undefined;
    },
    answer(caller, message) {
      if (typeof message.id !== "string") return false;
      const reply = "error" in message ? { error: message.error } : { result: message.result };
      return o.answers.route({ id: message.id, owner: ownerOf(caller), reply });
    },
    resume({ caller, era, call }) {
      if (era !== "2026-07-28" || !isRetry(call)) return undefined;
      return resumeCall(o.parked, ownerOf(caller), call);
    },
  };
}
