// The channel through which a forwarded call asks its client for input mid-call, chosen by the
// client's era: on the call's SSE stream for a handshake-era client.
import { ownerOf } from "@/gateway/client-input/answers";
import { handshakeChannel } from "@/gateway/client-input/handshake-channel";
import type { RequestContext } from "@/gateway/context";
import type { ClientInputChannel } from "@/gateway/upstream/client-input";

/** How long a client has to answer a request put to it mid-call (a person may be typing). */
export const CLIENT_ANSWER_TIMEOUT_MS = 10 * 60_000;

export function clientInputFor(ctx: RequestContext, stream: { send(message: unknown): void }): ClientInputChannel | undefined {
  if (ctx.era === "2025-11-25") {
    return handshakeChannel({
      session: ctx.session,
      owner: ownerOf(ctx.caller),
      answers: ctx.parts.answers,
      send: stream.send,
      timeoutMs: CLIENT_ANSWER_TIMEOUT_MS,
    });
  }
  return undefined;
}
