import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { jsonOutcome, tapResponse, type CallOutcome } from "@/gateway/upstream/response-tap";

async function run(chunks: string[], sse: boolean, id: number | string = 7) {
  let listChanged = 0;
  const outcomes: CallOutcome[] = [];
  const stream = tapResponse(Readable.from(chunks.map((c) => Buffer.from(c))), {
    sse,
    id,
    onListChanged: () => listChanged++,
    onOutcome: (o) => outcomes.push(o),
  });
  let out = "";
  await pipeline(stream, new Writable({ write: (c, _e, done) => ((out += c.toString()), done()) }));
  expect(outcomes).toHaveLength(1);
  return { outcome: outcomes[0]!, out, listChanged };
}

const event = (m: unknown) => `event: message\ndata: ${JSON.stringify(m)}\n\n`;

describe("response tap", () => {
  it("passes bytes through unchanged and reads the outcome of a JSON response", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 7, result: { content: [] } });
    const { outcome, out } = await run([body.slice(0, 10), body.slice(10)], false);
    expect(out).toBe(body);
    expect(outcome).toEqual({ ok: true });
  });

  it("tells a tool error and a JSON-RPC error from a result", async () => {
    expect((await run([JSON.stringify({ jsonrpc: "2.0", id: 7, result: { isError: true, content: [] } })], false)).outcome.ok).toBe(false);
    const rpc = await run([JSON.stringify({ jsonrpc: "2.0", id: 7, error: { code: -32602, message: "Unknown tool" } })], false);
    expect(rpc.outcome).toEqual({ ok: false, error: "Unknown tool" });
  });

  it("reads SSE events split across chunks, skips notifications, notices list_changed", async () => {
    const stream =
      event({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1, progress: 1 } }) +
      event({ jsonrpc: "2.0", method: "notifications/tools/list_changed" }) +
      event({ jsonrpc: "2.0", id: "abc", result: { content: [] } });
    const cut = Math.floor(stream.length / 2);
    const { outcome, out, listChanged } = await run([stream.slice(0, cut), stream.slice(cut)], true, "abc");
    expect(out).toBe(stream);
    expect(outcome).toEqual({ ok: true });
    expect(listChanged).toBe(1);
  });

  it("a response without the request's result counts as a failure", async () => {
    const { outcome } = await run([event({ jsonrpc: "2.0", id: 8, result: {} })], true, 7);
    expect(outcome.ok).toBe(false);
  });

  it("a source cut off mid-stream ends the client's stream with the closing text and a failed outcome", async () => {
    const source = new Readable({ read() {} });
    const outcomes: CallOutcome[] = [];
    const stream = tapResponse(source, {
      sse: true,
      id: 7,
      onListChanged: () => undefined,
      onOutcome: (o) => outcomes.push(o),
      closing: () => "event: message\ndata: cut\n\n",
    });
    let out = "";
    const done = pipeline(stream, new Writable({ write: (c, _e, cb) => ((out += c.toString()), cb()) }));
    const progress = event({ jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 1, progress: 1 } });
    source.push(Buffer.from(progress));
    await new Promise((r) => setImmediate(r));
    source.destroy();
    await done;
    expect(out).toBe(`${progress}event: message\ndata: cut\n\n`);
    expect(outcomes).toEqual([{ ok: false, error: "the response was interrupted" }]);
  });

  it("the client going away destroys the source", async () => {
    const source = new Readable({ read() {} });
    const outcomes: CallOutcome[] = [];
    const stream = tapResponse(source, { sse: true, id: 7, onListChanged: () => undefined, onOutcome: (o) => outcomes.push(o) });
    stream.destroy();
    await new Promise((r) => setImmediate(r));
    expect(source.destroyed).toBe(true);
    expect(outcomes).toEqual([{ ok: false, error: "the response was interrupted" }]);
  });

  it("reads the outcome of a whole JSON body", () => {
    let listChanged = 0;
    expect(jsonOutcome(JSON.stringify({ jsonrpc: "2.0", id: 3, result: {} }), 3, () => listChanged++)).toEqual({ ok: true });
    expect(jsonOutcome("not json", 3, () => listChanged++)).toEqual({ ok: false, error: "the backend's response had no result" });
    expect(
      jsonOutcome(
        JSON.stringify([
          { jsonrpc: "2.0", method: "notifications/tools/list_changed" },
          { jsonrpc: "2.0", id: 3, error: { code: 1, message: "no" } },
        ]),
        3,
        () => listChanged++,
      ),
    ).toEqual({ ok: false, error: "no" });
    expect(listChanged).toBe(1);
  });
});
