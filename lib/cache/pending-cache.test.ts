import { describe, expect, it } from "vitest";
import { PendingCache } from "@/lib/cache/pending-cache";

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe("PendingCache", () => {
  it("answers a fresh value synchronously and shares one load between concurrent misses", async () => {
    const cache = new PendingCache<string, number>();
    let loads = 0;
    const d = deferred<number>();
    const load = () => (loads++, d.promise);
    const [a, b] = [cache.get("k", load), cache.get("k", load)];
    expect(a).toBeInstanceOf(Promise);
    d.resolve(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(loads).toBe(1);
    expect(cache.get("k", load)).toBe(7);
  });

  it("loads again once a value is no longer fresh", async () => {
    let fresh = true;
    const cache = new PendingCache<string, number>({ isFresh: () => fresh });
    await cache.get("k", async () => 1);
    fresh = false;
    expect(await cache.get("k", async () => 2)).toBe(2);
  });

  it("does not keep what a load read before an invalidation, but still answers its callers", async () => {
    const cache = new PendingCache<string, number>();
    const d = deferred<number>();
    const first = cache.get("k", () => d.promise);
    cache.invalidate("k");
    const joined = cache.get("k", async () => 99);
    d.resolve(1);
    expect(await first).toBe(1);
    expect(await joined).toBe(1);
    expect(cache.peek("k")).toBeUndefined();
  });

  it("drops stale values, then the oldest, when full", async () => {
    const cache = new PendingCache<string, number>({ maxEntries: 2, isFresh: (v) => v > 0 });
    cache.set("a", 1);
    cache.set("b", 0);
    cache.set("c", 3);
    expect(cache.keys().sort()).toEqual(["a", "c"]);
    cache.set("d", 4);
    expect(cache.keys().sort()).toEqual(["c", "d"]);
  });

  it("when full, drops the least recently used value, not the oldest", () => {
    const cache = new PendingCache<string, number>({ maxEntries: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a", async () => 0)).toBe(1); // a is used again
    cache.set("c", 3);
    expect(cache.keys().sort()).toEqual(["a", "c"]);
  });

  it("a failed load is not kept, and the next get tries again", async () => {
    const cache = new PendingCache<string, number>();
    await expect(cache.get("k", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("k", async () => 5)).toBe(5);
  });
});
