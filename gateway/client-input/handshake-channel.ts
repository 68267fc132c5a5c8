// Asking a handshake-era client for input mid-call: each request goes on the call's own SSE stream
// as a real JSON-RPC request under a gateway-issued id, and the client's answer (a POST that may
// reach another replica) comes back through PendingAnswers.
import type { PendingAnswers } from "@/gateway/client-input/answers";
import type { ClientSession } from "@/gateway/types";
import type { CallStream, StreamingClientInput } from "@/gateway/upstream/call-stream";
import type { ClientInputRequest } from "@/gateway/upstream/client-input";

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
  timeoutMs: number;
}

const NO_CAPABILITIES: Record<string, unknown> = Object.freeze({});

/** The forwarder binds the call's SSE stream (bindCallStream) before the first ask(). */
export function handshakeChannel(o: HandshakeChannelOptions): StreamingClientInput {
  return new HandshakeChannel(o);
}

// A class, not an object of closures: one is made for every forwarded call of a handshake-era client.
class HandshakeChannel implements StreamingClientInput {
  readonly era = "2025-11-25" as const;
  readonly protocolVersion: string;
  readonly capabilities: Record<string, unknown>;
  private stream: CallStream | undefined;

  constructor(private readonly o: HandshakeChannelOptions) {
    this.protocolVersion = o.session?.protocolVersion ?? "2025-11-25";
    this.capabilities = o.session?.capabilities ?? NO_CAPABILITIES;
  }

  bindCallStream(stream: CallStream): void {
    this.stream = stream;
  }

  async ask(requests: ClientInputRequest[]): Promise<Record<string, unknown>> {
    const to = this.stream;
    const o = this.o;
    if (!to) throw new ClientDeclinedError("no stream to the client");
    const asked = requests.map((r) => {
      const pending = o.answers.expect(o.owner, o.timeoutMs);
      to.send({ jsonrpc: "2.0", id: pending.id, method: r.method, params: r.params });
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
  }
}
