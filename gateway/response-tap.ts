// A pass-through stream between a backend's response and the client: it holds nothing up, but reads
// the JSON-RPC messages going by to learn the request's outcome (result, tool error or JSON-RPC
// error) for the audit log, and to notice notifications/*/list_changed so cached lists are dropped.
import { Transform } from "node:stream";
import type { JsonRpcId } from "./types";

const MAX_JSON_BYTES = 1 << 20;

export interface CallOutcome {
  ok: boolean;
  error?: string;
}

type Message = { id?: JsonRpcId; method?: unknown; result?: { isError?: unknown }; error?: { message?: unknown } };

export interface ResponseTap {
  stream: Transform;
  /** Settles when the response ended or broke off. */
  outcome: Promise<CallOutcome>;
}

export function tapResponse(opts: { sse: boolean; id: JsonRpcId; onListChanged(): void }): ResponseTap {
  let found: CallOutcome | undefined;
  let settle!: (o: CallOutcome) => void;
  const outcome = new Promise<CallOutcome>((resolve) => (settle = (o) => resolve(found ?? o)));
  const see = (m: Message) => {
    if (typeof m.method === "string" && m.method.endsWith("/list_changed")) opts.onListChanged();
    if (m.id === opts.id && m.method === undefined) found = outcomeOf(m);
  };

  let pending = "";
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (opts.sse) {
        pending += chunk.toString("utf8");
        let end: number;
        while ((end = pending.search(/\r?\n\r?\n/)) >= 0) {
          const event = pending.slice(0, end);
          pending = pending.slice(end).replace(/^\r?\n\r?\n/, "");
          const data = event.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
          if (data) parse(data, see);
        }
      } else {
        size += chunk.length;
        if (size <= MAX_JSON_BYTES) chunks.push(chunk);
      }
      done(null, chunk);
    },
    flush(done) {
      if (!opts.sse) {
        if (size <= MAX_JSON_BYTES) parse(Buffer.concat(chunks).toString("utf8"), see);
        else found ??= { ok: true };
      }
      settle({ ok: false, error: "the backend's response had no result" });
      done();
    },
  });
  stream.on("close", () => settle({ ok: false, error: "the response was interrupted" }));
  stream.on("error", (e) => settle({ ok: false, error: e.message }));
  return { stream, outcome };
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
  if (m.error) return { ok: false, error: typeof m.error.message === "string" ? m.error.message.slice(0, 300) : "error" };
  if (m.result?.isError === true) return { ok: false, error: "the tool reported an error" };
  return { ok: true };
}
