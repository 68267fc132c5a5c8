// Asking a 2026-07-28 client for input mid-call: it has no stream to be asked on, so the gateway ends
// the client's reply with an `input_required` result (the backend's requests under their keys, and a
// sealed requestState) while this replica keeps the upstream call parked. The client's retry (any
// replica) brings the answers back through ParkedCalls, and what the call says next goes to that
// retry's reply: another round, or the final response under the retry's id. The backend's own era
// does not matter: a handshake backend's request on its stream or a 2026 backend's input_required
// both arrive here as ask(). Notifications (progress) while no reply is open are dropped.
import { PassThrough, type Readable } from "node:stream";
import { sseEvent, type ParkedCalls, type ReplySink } from "@/gateway/client-input/parked-calls";
import { requestHash, sealRequestState } from "@/gateway/client-input/sealed-request-state";
import type { ClientSession } from "@/gateway/types";
import type { CallStream, ForwardedCall, StreamingClientInput } from "@/gateway/upstream/call-stream";
import type { ClientInputRequest } from "@/gateway/upstream/client-input";
import { RPC } from "@/lib/json-rpc-errors";

export interface ModernChannelOptions {
  session: ClientSession | undefined;
  owner: string;
  parked: ParkedCalls;
  /** How long the call waits for the retry (also the sealed state's lifetime). */
  roundMs: number;
  /** Cancels the upstream call (the client never came back). */
  cancel(callId: string | number): void;
}

type Message = Record<string, unknown> & { id?: unknown; method?: unknown; result?: Record<string, unknown> };

export function modernChannel(o: ModernChannelOptions): StreamingClientInput {
  let stream: CallStream | undefined;
  let call: ForwardedCall | undefined;
  // A 2026 backend's first input_required is asked before the forwarder's reply is in hand.
  let carried: (c: Carrier | undefined) => void = () => undefined;
  const carrierReady = new Promise<Carrier | undefined>((resolve) => (carried = resolve));
  let asking = Promise.resolve();

  const askOnce = async (requests: ClientInputRequest[]): Promise<Record<string, unknown>> => {
    const carrier = await carrierReady;
    if (!carrier || !stream || !call) throw new Error("the call's reply has no stream to the client");
    const keys = requests.map((r) => r.id);
    // The round ends when its state expires: a retry after that is refused as expired.
    const expiresAt = Date.now() + o.roundMs;
    const round = o.parked.park(o.owner, keys, expiresAt);
    const requestState = sealRequestState(
      { owner: o.owner, slug: call.slug },
      {
        holder: o.parked.replica,
        round: round.id,
        backend: call.backend,
        request: requestHash(call.message),
        expiresAt,
      },
    );
    carrier.expect(requestState, round.forget);
    const inputRequests = Object.fromEntries(requests.map((r) => [r.id, { method: r.method, params: r.params }]));
    stream.send({ jsonrpc: "2.0", id: call.message.id, result: { resultType: "input_required", inputRequests, requestState } });
    let resumed;
    try {
      resumed = await round.resumed;
    } catch (e) {
      o.cancel(call.message.id);
      throw e;
    }
    carrier.resumeWith(resumed.sink, resumed.requestId);
    return Object.fromEntries(keys.map((k) => [k, resumed.responses[k]]));
  };

  return {
    era: "2026-07-28",
    protocolVersion: o.session?.protocolVersion ?? "2026-07-28",
    capabilities: o.session?.capabilities ?? {},
    bindCallStream: (s) => void (stream = s),
    // One round at a time: a second question waits for the answer to the first.
    ask(requests) {
      const asked = asking.then(() => askOnce(requests));
      asking = asked.then(
        () => undefined,
        () => undefined,
      );
      return asked;
    },
    forCall(c) {
      call = c;
      return (reply) => {
        const body = reply.body;
        const sse = /text\/event-stream/.test(reply.headers["content-type"] ?? "");
        if (!sse || !body || typeof body === "string" || Buffer.isBuffer(body)) return (carried(undefined), reply);
        const carrier = new Carrier(body, c.message.id);
        carried(carrier);
        return { ...reply, body: carrier.first };
      };
    },
  };
}

/**
 * Reads the call's SSE reply event by event and writes each message where the client now listens:
 * the first reply, then each retry's; none while the client is away gathering input.
 */
class Carrier {
  readonly first = new PassThrough();
  private sink: ReplySink | undefined;
  private currentId: unknown;
  private readonly issued = new Map<string, (why: string) => void>();
  private held: Message | undefined;
  private done = false;

  constructor(
    private readonly source: Readable,
    private readonly callId: string | number,
  ) {
    this.currentId = callId;
    const first = this.first;
    this.sink = {
      // A slow client slows the backend's stream, as the relay does.
      send: (m) => {
        if (!first.writableEnded && !first.write(sseEvent(m)) && !source.isPaused()) {
          source.pause();
          first.once("drain", () => source.resume());
        }
      },
      end: (m) => void (first.writableEnded || first.end(sseEvent(m))),
    };
    // The first reply's client went away before any input was asked: the call goes with it.
    first.on("close", () => {
      if (!first.writableEnded && !source.destroyed) source.destroy();
    });
    let pending = "";
    source.on("data", (chunk: Buffer | string) => {
      pending += chunk.toString();
      let end: number;
      while ((end = pending.search(/\r?\n\r?\n/)) >= 0) {
        const event = pending.slice(0, end);
        pending = pending.slice(end).replace(/^\r?\n\r?\n/, "");
        const data = event
          .split(/\r?\n/)
          .filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).trimStart())
          .join("\n");
        if (data) this.see(data);
      }
    });
    source.on("error", () => undefined);
    source.on("close", () => this.ended());
  }

  /** The next input_required with this state is the gateway's own, ending the reply; forget() ends the round. */
  expect(state: string, forget: (why: string) => void): void {
    this.issued.set(state, forget);
  }

  resumeWith(sink: ReplySink, requestId: unknown): void {
    this.currentId = requestId;
    if (this.held) return sink.end({ ...this.held, id: requestId });
    this.sink = sink;
  }

  private see(data: string): void {
    let m: Message;
    try {
      m = JSON.parse(data) as Message;
    } catch {
      return;
    }
    if (!m || typeof m !== "object") return;
    if (m.method !== undefined || m.id !== this.callId) return void this.sink?.send(m);
    const state = m.result?.resultType === "input_required" ? m.result.requestState : undefined;
    if (typeof state !== "string" || !this.issued.has(state)) this.done = true;
    if (!this.sink) return void (this.held = m); // the call ended while the client was away
    this.sink.end({ ...m, id: this.currentId });
    this.sink = undefined;
  }

  private ended(): void {
    if (!this.done && this.sink)
      this.sink.end({
        jsonrpc: "2.0",
        id: this.currentId,
        error: { code: RPC.internalError, message: "The call ended without a result." },
      });
    this.sink = undefined;
    // A retry now finds no round: it is refused, and told the call has ended.
    if (!this.held) for (const forget of this.issued.values()) forget("the call ended");
  }
}
