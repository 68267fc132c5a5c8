// A 2026-07-28 backend asked for client input (`input_required`): the call's reply becomes an SSE
// stream at once (a handshake-era client answers a request it reads there), the channel asks the
// client, and the same request goes upstream again with `inputResponses` and the backend's
// `requestState` echoed unchanged, round after round, until the backend completes. The backend's
// timeout does not run while the client is being asked (a person may be answering).
import { PassThrough } from "node:stream";
import type { GatewayReply, JsonRpcId } from "@/gateway/types";
import type { StreamingClientInput } from "@/gateway/upstream/call-stream";
import { readInputRequired, type InputRequired } from "@/gateway/upstream/input-required";
import { jsonOutcome, type CallOutcome } from "@/gateway/upstream/response-tap";
import { RPC } from "@/lib/json-rpc-errors";

const MAX_ROUNDS = 8;
const SSE_REPLY_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-store" };

export interface InputRounds {
  id: JsonRpcId;
  first: InputRequired;
  input: StreamingClientInput;
  /** Sends the request upstream again with these params added; resolves with the whole JSON-RPC response text. */
  retry(extra: { inputResponses: Record<string, unknown>; requestState?: string }): Promise<string>;
  /** While the client is asked, the backend's timeout waits. */
  pause(): void;
  resume(): void;
  /** The JSON-RPC error the client gets, in Gatehouse's words. */
  failure(e: unknown): { message: string; data?: unknown };
  onListChanged(): void;
  done(outcome: CallOutcome): void;
}

export function answerWithInput(r: InputRounds): GatewayReply {
  const out = new PassThrough();
  const send = (message: Record<string, unknown>) => {
    if (!out.writableEnded) out.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  };
  r.input.bindCallStream?.({ send });
  const finish = (text: string, outcome: CallOutcome) => {
    r.done(outcome);
    if (!out.writableEnded) out.end(`event: message\ndata: ${text}\n\n`);
  };
  const fail = (e: unknown) => {
    const { message, data } = r.failure(e);
    finish(JSON.stringify({ jsonrpc: "2.0", id: r.id, error: { code: RPC.internalError, message, data } }), { ok: false, error: message });
  };
  void (async () => {
    let pending = r.first;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      r.pause();
      let answers: Record<string, unknown>;
      try {
        answers = pending.requests.length ? await r.input.ask(pending.requests) : {};
      } catch (e) {
        return fail(new Error(`the client did not give the input the backend asked for (${(e as Error).message})`));
      } finally {
        r.resume();
      }
      const text = await r.retry({
        inputResponses: answers,
        ...(pending.requestState !== undefined ? { requestState: pending.requestState } : {}),
      });
      const reading = readInputRequired(text, r.id as string | number);
      if (reading.kind === "refused") return fail(new RefusedState(reading.why));
      if (reading.kind === "complete") return finish(text, jsonOutcome(text, r.id, r.onListChanged));
      pending = reading.value;
    }
    fail(new Error(`the backend still wanted input after ${MAX_ROUNDS} rounds`));
  })().catch(fail);
  return { status: 200, headers: { ...SSE_REPLY_HEADERS }, body: out };
}

/** A backend's input_required that Gatehouse refuses to pass on. */
export class RefusedState extends Error {}
