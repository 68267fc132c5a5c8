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
   * Sees each JSON-RPC message of an SSE stream before the client does: returns the message to send
   * instead (the result rewritten for the client's era, say), null to hold it back, or undefined to
   * pass it on unchanged.
   */
  rewrite?(message: Record<string, unknown>): Record<string, unknown> | null | undefined;
  /**
   * Set: a request the backend sends on the stream is handed here instead of passing through (the
   * gateway answers it for the client, see backend-requests.ts).
   */
  onRequest?(request: BackendRequest): void;
}

/** The handle through which the gateway adds its own SSE events to a relayed stream. */
export interface TappedStream extends Readable {
  /** Sends one JSON-RPC message to the client as an SSE event, between the backend's events. */
  sendMessage(message: unknown): void;
}

/** The stream the client reads. Destroying it destroys `source` (the client went away). */
export function tapResponse(source: Readable, opts: TapOptions): TappedStream {
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
  const isRequest = (m: Message) =>
    typeof m.method === "string" && (typeof m.id === "string" || typeof m.id === "number") && !m.method.startsWith("notifications/");
  /** Event by event (so the gateway's own events and rewritten ones never split a backend's event). */
  const byEvent = opts.sse && (opts.rewrite !== undefined || opts.onRequest !== undefined);
  /** What the client gets instead of a message: the rewrite's answer, or null for a request the gateway answers. */
  const replace = (m: Message): Record<string, unknown> | null | undefined => {
    if (opts.onRequest && isRequest(m)) {
      const params = typeof m.params === "object" && m.params !== null ? (m.params as Record<string, unknown>) : {};
      opts.onRequest({ id: m.id as string | number, method: m.method as string, params });
      return null;
    }
    return opts.rewrite?.(m as Record<string, unknown>);
  };

  let pending = "";
  const chunks: Buffer[] = [];
  let size = 0;
  // Without byEvent, the bytes go on as they came.
  const observe = (chunk: Buffer): string | Buffer => {
    if (!opts.sse) {
      size += chunk.length;
      if (size <= MAX_JSON_BYTES) chunks.push(chunk);
      return chunk;
    }
    const whole = pending === "";
    pending += chunk.toString("utf8");
    let passed = "";
    let changed = false;
    let end: number;
    while ((end = pending.search(/\r?\n\r?\n/)) >= 0) {
      const separator = /^\r?\n\r?\n/.exec(pending.slice(end))![0];
      const event = pending.slice(0, end);
      pending = pending.slice(end + separator.length);
      const lines = event.split(/\r?\n/);
      const data = lines
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      let replaced: Record<string, unknown> | null | undefined;
      if (data)
        parse(data, (m) => {
          see(m);
          if (byEvent) replaced = replace(m);
        });
      if (replaced !== undefined) changed = true;
      if (replaced === null) {
        const id = lines.find((l) => l.startsWith("id:"));
        if (id) passed += `${id}\ndata: \n\n`; // keeps the event id the client may resume from
        continue;
      }
      passed += replaced
        ? `${lines.filter((l) => !l.startsWith("data:")).join("\n")}${lines.some((l) => !l.startsWith("data:")) ? "\n" : ""}data: ${JSON.stringify(replaced)}\n\n`
        : event + separator;
    }
    // Whole events, none replaced: the chunk itself goes on (no string turned back into bytes).
    return byEvent && (changed || !whole || pending !== "") ? passed : chunk;
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
    const passed = observe(chunk);
    if (passed.length > 0 && !out.push(passed)) source.pause();
  });
  (out as TappedStream).sendMessage = (message) => {
    if (!out.destroyed && !out.readableEnded) out.push(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  };
  source.on("end", () => {
    if (byEvent && pending) out.push(pending);
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
  return out as TappedStream;
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
