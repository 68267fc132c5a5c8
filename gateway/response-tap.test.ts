import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { tapResponse } from "./response-tap";

async function run(chunks: string[], sse: boolean, id: number | string = 7) {
  let listChanged = 0;
  const tap = tapResponse({ sse, id, onListChanged: () => listChanged++ });
  let out = "";
  await pipeline(Readable.from(chunks.map((c) => Buffer.from(c))), tap.stream, new Writable({ write: (c, _e, done) => ((out += c.toString()), done()) }));
  return { outcome: await tap.outcome, out, listChanged };
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
});
