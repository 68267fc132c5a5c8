// Asking a handshake-era client for input mid-call: each request goes on the call's own SSE stream
// as a real JSON-RPC request under a gateway-issued id, and the client's answer (a POST that may
// reach another replica) comes back through PendingAnswers.
import type { PendingAnswers } from "@/gateway/client-input/answers";
import type { ClientSession } from "@/gateway/types";
import type { ClientInputChannel, ClientInputRequest } from "@/gateway/upstream/client-input";

export class ClientDeclinedError extends Error {
  constructor(
    message: string,
    readonly error?: unknown,
  ) {
    super(message);
  }
}

export interface HandshakeChannelOptions {
  session: ClientSession | undefined;
  owner: string;
  answers: PendingAnswers;
  /** Writes one JSON-RPC message to the call's SSE stream. */
  send(message: unknown): void;
  timeoutMs: number;
}

export function handshakeChannel(o: HandshakeChannelOptions): ClientInputChannel {
  return {
    era: "2025-11-25",
    protocolVersion: o.session?.protocolVersion ?? "2025-11-25",
    capabilities: o.session?.capabilities ?? {},
    async ask(requests: ClientInputRequest[]) {
      const asked = requests.map((r) => {
        const pending = o.answers.expect(o.owner, o.timeoutMs);
        o.send({ jsonrpc: "2.0", id: pending.id, method: r.method, params: r.params });
        return { request: r, pending };
      });
      const results: Record<string, unknown> = {};
      try {
        for (const { request, pending } of asked) {
          const reply = await pending.answer;
          if (reply.error !== undefined) throw new ClientDeclinedError(`the client refused ${request.method}`, reply.error);
          results[request.id] = reply.result;
        }
      } finally {
        for (const { pending } of asked) pending.forget();
      }
      return results;
    },
  };
}
