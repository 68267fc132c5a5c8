import { describe, expect, it } from "vitest";
import { CatalogStore, type Catalog } from "@/gateway/catalog/catalog";
import type { RuntimeBackend } from "@/lib/backends/runtime";

const backend = { id: "b1", slug: "b", displayName: "B", timeoutMs: 200, version: "v1" } as RuntimeBackend;
const catalog = (...tools: string[]): Catalog => ({
  tools: tools.map((name) => ({ name, inputSchema: { type: "object" as const } })),
  prompts: [],
  resources: [],
  resourceTemplates: [],
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("catalog store", () => {
  it("fetches once per identity while fresh, and remembers the last list seen for the backend", async () => {
    const store = new CatalogStore(60_000);
    let fetches = 0;
    const fetch = async () => (fetches++, catalog("a", "b"));
    await Promise.all([store.get(backend, "u1", fetch), store.get(backend, "u1", fetch)]);
    await store.get(backend, "u1", fetch);
    expect(fetches).toBe(1);
    await store.get(backend, "u2", fetch);
    expect(fetches).toBe(2);
    expect(store.knownNames(backend, "tools")).toEqual(new Set(["a", "b"]));
  });

  it("serves a stale list while it refreshes, and drops an identity's list on invalidate", async () => {
    const store = new CatalogStore(10);
    let version = 0;
    const fetch = async () => catalog(`t${++version}`);
    expect((await store.get(backend, "u1", fetch)).tools[0]!.name).toBe("t1");
    await sleep(20);
    expect((await store.get(backend, "u1", fetch)).tools[0]!.name).toBe("t1");
    await sleep(5);
    expect((await store.get(backend, "u1", fetch)).tools[0]!.name).toBe("t2");
    store.invalidate((id, identity) => id === "b1" && identity === "u1");
    expect((await store.get(backend, "u1", fetch)).tools[0]!.name).toBe("t3");
  });

  it("gives up at the backend's timeout and remembers the failure briefly", async () => {
    const store = new CatalogStore(60_000);
    let fetches = 0;
    const never = () => (fetches++, new Promise<Catalog>(() => undefined));
    await expect(store.get(backend, "u1", never)).rejects.toThrow('Backend "B" (b) did not answer within 200 ms');
    await expect(store.get(backend, "u1", never)).rejects.toThrow("did not answer");
    expect(fetches).toBe(1);
  });
});
