// Between a backend's streamed response and the client: the bytes go through unchanged and at once,
// and the JSON-RPC messages going by are read to learn the request's outcome (result, tool error or
// JSON-RPC error) for the audit log, and to notice notifications/*/list_changed so cached lists are
// dropped. A plain Readable fed from the source's events (no Transform, no pipes: cheaper per call).
import { Readable } from "node:stream";
import type { JsonRpcId } from "@/gateway/types";

const MAX_JSON_BYTES = 1 << 20;

export interface CallOutcome {
  ok: boolean;
  error?: string;
}

type Message = { id?: JsonRpcId; method?: unknown; params?: unknown; result?: { isError?: unknown }; error?: { message?: unknown } };

/** A request the backend sends the client on the call's stream (elicitation, sampling, roots). */
export interface BackendRequest {
  id: string | number;
  method: string;
  params: Record<string, unknown>;
}

export interface TapOptions {
  sse: boolean;
  id: JsonRpcId;
  onListChanged(): void;
  /** Called once: when the response ended or broke off. */
  onOutcome(outcome: CallOutcome): void;
  /** When the source breaks off before its end: text the client still gets (an SSE error event), or undefined to cut the client off too. */
  closing?(): string | undefined;
  /**
   * Set: a request the backend sends on the stream is handed here instead of passing through (the
   * gateway answers it for the client), and the stream is passed on event by event.
   */
  onRequest?(request: BackendRequest): void;
}

/** The stream the client reads. Destroying it destroys `source` (the client went away). */
export function tapResponse(source: Readable, opts: TapOptions): Readable {
  let found: CallOutcome | undefined;
  let settled = false;
  const settle = (o: CallOutcome) => {
    if (settled) return;
    settled = true;
    opts.onOutcome(found ?? o);
  };
  const see = (m: Message) => {
    if (typeof m.method === "string" && m.method.endsWith("/list_changed")) opts.onListChanged();
    if (m.id === opts.id && m.method === undefined) found = outcomeOf(m);
  };
  const intercept = opts.onRequest;
  const isRequest = (m: Message) =>
    typeof m.method === "string" && (typeof m.id === "string" || typeof m.id === "number") && !m.method.startsWith("notifications/");
  /** Per event when intercepting: false withholds the event. */
  let pass = true;
  const seeEvent = (m: Message) => {
    see(m);
    if (intercept && isRequest(m)) {
      pass = false;
      const params = typeof m.params === "object" && m.params !== null ? (m.params as Record<string, unknown>) : {};
      intercept({ id: m.id as string | number, method: m.method as string, params });
    }
  };

  let pending = "";
  const chunks: Buffer[] = [];
  let size = 0;
  /** Returns, when intercepting, the whole events to pass on. */
  const observe = (chunk: Buffer): string | undefined => {
    if (!opts.sse) {
      size += chunk.length;
      if (size <= MAX_JSON_BYTES) chunks.push(chunk);
      return undefined;
    }
    pending += chunk.toString("utf8");
    let end: number;
    let events = "";
    while ((end = pending.search(/\r?\n\r?\n/)) >= 0) {
      const event = pending.slice(0, end);
      const rest = pending.slice(end).replace(/^\r?\n\r?\n/, "");
      const whole = pending.slice(0, pending.length - rest.length);
      pending = rest;
      const data = event
        .split(/\r?\n/)
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      pass = true;
      if (data) parse(data, seeEvent);
      if (pass) events += whole;
    }
    return events;
  };

  const out = new Readable({
    read() {
      if (source.isPaused()) source.resume();
    },
    destroy(err, done) {
      if (!source.destroyed) source.destroy();
      settle({ ok: false, error: "the response was interrupted" });
      done(err);
    },
  });
  source.on("data", (chunk: Buffer) => {
    const events = observe(chunk);
    const passOn = intercept && opts.sse ? events : chunk;
    if (passOn && !out.push(passOn)) source.pause();
  });
  source.on("end", () => {
    if (!opts.sse) {
      if (size <= MAX_JSON_BYTES) parse((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8"), see);
      else found ??= { ok: true };
    }
    settle({ ok: false, error: "the backend's response had no result" });
    out.push(null);
  });
  source.on("error", () => undefined); // "close" follows
  source.on("close", () => {
    if (source.readableEnded || out.destroyed) return;
    settle({ ok: false, error: "the response was interrupted" });
    const last = opts.closing?.();
    if (last === undefined) out.destroy();
    else {
      out.push(last);
      out.push(null);
    }
  });
  return out;
}

/** The outcome of a whole JSON response (a buffered one). */
export function jsonOutcome(text: string, id: JsonRpcId, onListChanged: () => void): CallOutcome {
  let found: CallOutcome | undefined;
  parse(text, (m) => {
    if (typeof m.method === "string" && m.method.endsWith("/list_changed")) onListChanged();
    if (m.id === id && m.method === undefined) found = outcomeOf(m);
  });
  return found ?? { ok: false, error: "the backend's response had no result" };
}

function parse(text: string, see: (m: Message) => void): void {
  try {
    const value = JSON.parse(text) as Message | Message[];
    for (const m of Array.isArray(value) ? value : [value]) if (m && typeof m === "object") see(m);
  } catch {
    // Not JSON-RPC: passed on as it came; the audit says "no result".
  }
}

function outcomeOf(m: Message): CallOutcome {
  // Whole: forward-call.ts scrubs secrets from it before cutting it for the audit.
  if (m.error) return { ok: false, error: typeof m.error.message === "string" ? m.error.message : "error" };
  if (m.result?.isError === true) return { ok: false, error: "the tool reported an error" };
  return { ok: true };
}
