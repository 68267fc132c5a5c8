// The gateway's ClientInputSource: each call's channel to its client, chosen by the client's era (on
// the call's SSE stream for a handshake-era client), and the client's answers routed by PendingAnswers
// to the replica that holds the call, whichever replica the answer's POST reached.
import { ownerOf, type PendingAnswers } from "@/gateway/client-input/answers";
import { handshakeChannel } from "@/gateway/client-input/handshake-channel";
import type { ClientInputSource } from "@/gateway/upstream/call-stream";

/** How long a client has to answer a request put to it mid-call (a person may be typing). */
export const CLIENT_ANSWER_TIMEOUT_MS = 10 * 60_000;

export function gatewayClientInput(answers: PendingAnswers, timeoutMs = CLIENT_ANSWER_TIMEOUT_MS): ClientInputSource {
  return {
    channelFor({ caller, session, era }) {
      if (era !== "2025-11-25") return undefined;
      return handshakeChannel({ session, owner: ownerOf(caller), answers, timeoutMs });
    },
    answer(caller, message) {
      if (typeof message.id !== "string") return false;
      const reply = "error" in message ? { error: message.error } : { result: message.result };
      return answers.route({ id: message.id, owner: ownerOf(caller), reply });
    },
  };
}
