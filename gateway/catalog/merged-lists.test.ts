// The merged, serialized lists (merged-lists.ts): a repeated tools/list is answered from the kept
// page without reading any backend's catalog again, byte for byte the same; an admin's change is in
// the very next list; a kept page goes stale with any catalog change or with the catalogs' TTL. (A
// backend's own list_changed: gateway/upstream/upstream-session.test.ts.)
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CatalogStore } from "@/gateway/catalog/catalog";
import { MergedLists } from "@/gateway/catalog/merged-lists";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
beforeAll(async () => {
  stack = await startGatewayTestStack();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.close();
});

async function listRaw(token: string): Promise<string> {
  const res = await fetch(stack.mcpUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: "list-1", method: "tools/list" }),
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe("[gateway] merged lists", () => {
  it("a repeated tools/list is the kept page: no catalog is read again, and the answer is the same", async () => {
    const token = await stack.tokenFor("alice");
    // The first list loads the catalogs, which moves their generation: the second one is kept.
    await listRaw(token);
    const first = await listRaw(token);
    const reads = vi.spyOn(CatalogStore.prototype, "get");
    const second = await listRaw(token);
    expect(reads).not.toHaveBeenCalled();
    expect(second).toBe(first);
    const names = (JSON.parse(second) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
    expect(names).toContain("utils_echo");
    reads.mockRestore();
  });

  it("a backend an admin adds is in the next list, kept or not", async () => {
    const token = await stack.tokenFor("alice");
    await listRaw(token);
    await stack.addBackend({
      slug: "merged-extra",
      displayName: "Merged extra",
      url: stack.world.backends.open.url,
      auth: { mode: "none" },
    } as never);
    const names = (JSON.parse(await listRaw(token)) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
    expect(names).toContain("merged-extra_echo");
  });

  it("a kept page is stale once the catalogs change or the catalogs' TTL passes, and too large a page is not kept", () => {
    vi.useFakeTimers();
    try {
      const lists = new MergedLists(1_000, 100);
      lists.set("k", 1, { json: "[]" });
      expect(lists.get("k", 1)).toMatchObject({ json: "[]" });
      expect(lists.get("k", 2)).toBeUndefined();
      lists.set("k", 2, { json: "[1]" });
      vi.advanceTimersByTime(1_001);
      expect(lists.get("k", 2)).toBeUndefined();
      lists.set("big", 2, { json: "x".repeat(200) });
      expect(lists.get("big", 2)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("every change to the catalogs moves their generation", () => {
    const store = new CatalogStore(60_000);
    const before = store.generation;
    store.invalidate(() => false);
    expect(store.generation).toBeGreaterThan(before);
    const after = store.generation;
    store.forgetBackend("some-backend");
    expect(store.generation).toBeGreaterThan(after);
  });
});
