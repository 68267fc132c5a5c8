// The in-process bus (embedded PGlite) and the piece splitting both bus kinds rely on.
import { describe, expect, it } from "vitest";
import { createInProcessBus } from "@/lib/bus/in-process-bus";
import { BUS_MESSAGE_LIMIT_BYTES } from "@/lib/bus/message-limit";
import { Pieces, splitIntoPieces, type Envelope } from "@/lib/bus/pieces";

const nextMessage = (subscribe: (h: (m: unknown) => void) => () => void) =>
  new Promise<unknown>((resolve) => {
    const stop = subscribe((m) => (stop(), resolve(m)));
  });

describe("[bus] in-process", () => {
  it("delivers a copy to the channel's subscribers only, after publish returned", async () => {
    const bus = createInProcessBus();
    const other: unknown[] = [];
    bus.subscribe("other", (m) => other.push(m));
    const message = { kind: "link", userId: "u1" };
    const received = nextMessage((h) => bus.subscribe("changes", h));
    await bus.publish("changes", message);
    const got = await received;
    expect(got).toEqual(message);
    expect(got).not.toBe(message);
    expect(other).toEqual([]);
  });

  it("refuses a message past the limit and one that is not JSON", async () => {
    const bus = createInProcessBus();
    await expect(bus.publish("c", "x".repeat(BUS_MESSAGE_LIMIT_BYTES + 1))).rejects.toThrow(/at most/);
    await expect(bus.publish("c", undefined)).rejects.toThrow(/JSON/);
  });

  it("keeps delivering to the others when one subscriber throws", async () => {
    const bus = createInProcessBus();
    bus.subscribe("c", () => {
      throw new Error("boom");
    });
    const received = nextMessage((h) => bus.subscribe("c", h));
    await bus.publish("c", 1);
    expect(await received).toBe(1);
  });
});

describe("[bus] pieces", () => {
  it("sends a small message whole and a large one in pieces that reassemble in any order", () => {
    expect(splitIntoPieces("c", JSON.stringify({ a: 1 }), "id")).toHaveLength(1);
    const big = JSON.stringify({ text: "é".repeat(20_000) });
    const payloads = splitIntoPieces("c", big, "id-1");
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    const pieces = new Pieces();
    const envelopes = payloads.map((p) => JSON.parse(p) as Envelope).reverse();
    const results = envelopes.map((e) => pieces.accept(e));
    expect(results.slice(0, -1).every((r) => r === undefined)).toBe(true);
    expect(results.at(-1)).toEqual({ channel: "c", message: JSON.parse(big) });
  });

  it("does not deliver a message twice when a piece repeats", () => {
    const payloads = splitIntoPieces("c", JSON.stringify("x".repeat(20_000)), "id-2").map((p) => JSON.parse(p) as Envelope);
    const pieces = new Pieces();
    pieces.accept(payloads[0]!);
    pieces.accept(payloads[0]!);
    const delivered = payloads.slice(1).map((e) => pieces.accept(e));
    expect(delivered.filter(Boolean)).toHaveLength(1);
  });
});
