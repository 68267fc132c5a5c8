// Calls parked while their 2026-07-28 client gathers the input a backend asked for. The replica that
// holds the upstream call parks a round under a single-use id; the client's retry may reach any
// replica, which sends the input to the holder over the bus (or hands it over in-process when it is
// the holder). The holder takes the round once (a replay finds nothing and is refused at once), and
// sends what the call says next (another input_required, or the final response, with any notification
// before it) back to the retrying replica on a reply id of its own, in order.
import { randomUUID } from "node:crypto";
import { PassThrough, type Readable } from "node:stream";
import { z } from "zod";
import type { JsonRpcId } from "@/gateway/types";
import type { Bus } from "@/lib/bus/bus";
import { RPC } from "@/lib/json-rpc-errors";
import { log } from "@/lib/log";

const TO_HOLDER = "gateway.input-resume";
const TO_RETRY = "gateway.input-resumed";
/** How long a retry waits for the holder to take its input (a holder that stopped never answers). */
const HOLDER_ACK_MS = 10_000;
/** A retry's reply that hears nothing from the holder this long ends (the holder stopped mid-call). */
const HOLDER_SILENT_MS = 10 * 60_000;

/** Where the holder writes what the call says next; end() closes the retry's reply. */
export interface ReplySink {
  send(message: Record<string, unknown>): void;
  end(message: Record<string, unknown>): void;
}

export interface Resumed {
  responses: Record<string, unknown>;
  /** The retry's own JSON-RPC id: what the client now waits on. */
  requestId: JsonRpcId;
  sink: ReplySink;
}

export interface Resumption {
  holder: string;
  round: string;
  owner: string;
  requestId: string | number;
  responses: Record<string, unknown>;
}

const idSchema = z.union([z.string().max(200), z.number()]);
const resumeSchema = z.object({
  holder: z.string().max(100),
  round: z.string().max(100),
  owner: z.string().max(2000),
  requestId: idSchema,
  responses: z.record(z.string().max(200), z.unknown()),
  reply: z.string().max(100),
});
const resumedSchema = z.object({
  reply: z.string().max(100),
  seq: z.number().int().min(0),
  refused: z.string().max(1000).optional(),
  message: z.record(z.string(), z.unknown()).optional(),
  end: z.boolean().optional(),
});
type ResumedMessage = z.infer<typeof resumedSchema>;

interface Round {
  owner: string;
  keys: string[];
  take(r: Resumed): void;
}

export class ParkedCalls {
  /** This replica, as sealed states name their holder. */
  readonly replica = randomUUID();
  private readonly rounds = new Map<string, Round>();
  private readonly retries = new Map<string, (m: ResumedMessage) => void>();
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly bus: Bus) {
    this.unsubscribe = [
      bus.subscribe(TO_HOLDER, (message) => {
        const parsed = resumeSchema.safeParse(message);
        if (parsed.success && parsed.data.holder === this.replica) this.resumeHere(parsed.data, remoteSink(bus, parsed.data.reply));
      }),
      bus.subscribe(TO_RETRY, (message) => {
        const parsed = resumedSchema.safeParse(message);
        if (parsed.success) this.retries.get(parsed.data.reply)?.(parsed.data);
      }),
    ];
  }

  /** Parks a round asking for `keys`; its promise rejects at `expiresAt` (epoch ms, the state's expiry) or when forgotten. */
  park(owner: string, keys: string[], expiresAt: number): { id: string; resumed: Promise<Resumed>; forget(why: string): void } {
    const id = randomUUID();
    let fail: (e: Error) => void = () => undefined;
    const resumed = new Promise<Resumed>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error("the client did not retry in time")), expiresAt - Date.now());
      fail = (e) => {
        clearTimeout(timer);
        if (this.rounds.delete(id)) reject(e);
      };
      this.rounds.set(id, {
        owner,
        keys,
        take: (r) => {
          clearTimeout(timer);
          this.rounds.delete(id);
          resolve(r);
        },
      });
    });
    resumed.catch(() => undefined);
    return { id, resumed, forget: (why) => fail(new Error(why)) };
  }

  /** The call's next words as an SSE stream, or why the retry is refused. Nothing reaches the backend on a refusal. */
  async resume(r: Resumption): Promise<{ stream: Readable } | { refused: string }> {
    if (r.holder === this.replica) {
      const out = new PassThrough();
      const refused = this.resumeHere(r, localSink(out));
      return refused === undefined ? { stream: out } : { refused };
    }
    const reply = randomUUID();
    const out = new PassThrough();
    return new Promise((resolve) => {
      let next = 0;
      const early = new Map<number, ResumedMessage>();
      const settle = (v: { stream: Readable } | { refused: string }) => {
        clearTimeout(timer);
        resolve(v);
      };
      const stop = () => this.retries.delete(reply);
      const timer = setTimeout(() => {
        stop();
        settle({ refused: "The replica holding this call did not answer (it may have stopped): call again without requestState." });
      }, HOLDER_ACK_MS);
      out.on("close", stop);
      let silence: NodeJS.Timeout | undefined;
      const heard = () => {
        clearTimeout(silence);
        silence = setTimeout(() => {
          stop();
          const message = "The replica holding this call stopped answering: call again without requestState.";
          out.end(sseEvent({ jsonrpc: "2.0", id: r.requestId, error: { code: RPC.internalError, message } }));
        }, HOLDER_SILENT_MS);
        silence.unref();
      };
      out.on("close", () => clearTimeout(silence));
      const handle = (m: ResumedMessage) => {
        heard();
        if (m.seq === 0) {
          if (m.refused !== undefined) return (stop(), settle({ refused: m.refused }));
          return settle({ stream: out });
        }
        if (m.message) out.write(sseEvent(m.message));
        if (m.end) {
          stop();
          out.end();
        }
      };
      // Taken in seq order, whatever order the bus delivers them in.
      this.retries.set(reply, (m) => {
        early.set(m.seq, m);
        while (early.has(next)) {
          const due = early.get(next)!;
          early.delete(next++);
          handle(due);
        }
      });
      this.bus
        .publish(TO_HOLDER, { ...r, reply })
        .catch((e: unknown) => (stop(), settle({ refused: `The input could not be passed on: ${(e as Error).message}` })));
    });
  }

  close(): void {
    for (const off of this.unsubscribe) off();
  }

  /** Takes the round for this retry, or says why not. */
  private resumeHere(r: Resumption, sink: ReplySink & { refuse?(why: string): void; accept?(): void }): string | undefined {
    const round = this.rounds.get(r.round);
    const why =
      !round || round.owner !== r.owner
        ? "This requestState was already used, or the call it resumes has ended: call again without it."
        : missingKey(round.keys, r.responses);
    if (why !== undefined) {
      sink.refuse?.(why);
      return why;
    }
    sink.accept?.();
    round!.take({ responses: r.responses, requestId: r.requestId, sink });
    return undefined;
  }
}

function missingKey(keys: string[], responses: Record<string, unknown>): string | undefined {
  const missing = keys.find((k) => !Object.hasOwn(responses, k) || typeof responses[k] !== "object" || responses[k] === null);
  return missing === undefined ? undefined : `inputResponses has no answer for "${missing}": answer every inputRequest.`;
}

export const sseEvent = (message: unknown) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;

function localSink(out: PassThrough): ReplySink {
  return {
    send: (m) => void (out.writableEnded || out.write(sseEvent(m))),
    end: (m) => void (out.writableEnded || out.end(sseEvent(m))),
  };
}

/** Publishes one after the other (a publish resolves once committed), so the retry reads them in order. */
function remoteSink(bus: Bus, reply: string): ReplySink & { refuse(why: string): void; accept(): void } {
  let seq = 0;
  let chain = Promise.resolve();
  let ended = false;
  const publish = (m: Omit<ResumedMessage, "reply" | "seq">) => {
    const message = { reply, seq: seq++, ...m };
    chain = chain.then(() =>
      bus.publish(TO_RETRY, message).catch((e: unknown) => {
        log.warn({ err: (e as Error).message }, "could not pass a resumed call's reply to the retrying replica");
        if (m.message && m.end) return bus.publish(TO_RETRY, { ...message, message: tooLarge(m.message) }).catch(() => undefined);
      }),
    );
  };
  return {
    refuse: (why) => publish({ refused: why, end: true }),
    accept: () => publish({}),
    send: (m) => void (ended || publish({ message: m })),
    end: (m) => void (ended || ((ended = true), publish({ message: m, end: true }))),
  };
}

/** The final response could not cross the bus (past its message limit): the client gets an error instead. */
function tooLarge(m: Record<string, unknown>): Record<string, unknown> {
  const message = "The result was too large to pass between Gatehouse replicas; call again without requestState.";
  return { jsonrpc: "2.0", id: m.id ?? null, error: { code: RPC.internalError, message } };
}
