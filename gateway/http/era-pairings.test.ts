// Every pairing of client era and backend era through /api/mcp, feature by feature: a handshake-era
// client (SDK v1) or a 2026-07-28 client (SDK v2, pinned) in front of a handshake-era backend or one
// that also speaks 2026-07-28. Each pairing calls tools, reads prefixed resources and templates, gets
// prompts, completes an argument, pages through lists, hears progress, cancels a slow call, answers
// the backend's elicitation and sampling mid-call, and hears that a backend's tools changed; two
// people's calls that carry the same request id each get their own answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingBackend, type EverythingBackend } from "@/e2e/world/everything-mcp";
import { startChangingBackend, type ChangingBackend } from "@/testkit/changing-backend";
import { connectEraClient, everyPage, type ClientEra, type EraClient } from "@/testkit/era-clients";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { startSlowBackend, type SlowBackend } from "@/testkit/slow-backend";

type BackendEra = "2025-11-25" | "2026-07-28";
interface EraBackends {
  everything: EverythingBackend;
  changing: ChangingBackend;
  slow: SlowBackend;
}

/** Each backend era's slugs: its everything backend, its changing backend, its slow backend. */
const SLUGS: Record<BackendEra, { everything: string; changing: string; slow: string }> = {
  "2025-11-25": { everything: "old", changing: "old-changes", slow: "old-slow" },
  "2026-07-28": { everything: "new", changing: "new-changes", slow: "new-slow" },
};
/** Small, so every backend's tools take more than one page. */
const PAGE_SIZE = 2;

let stack: GatewayTestStack;
const backends = {} as Record<BackendEra, EraBackends>;

beforeAll(async () => {
  const start = async (era: "2025-11-25" | "both"): Promise<EraBackends> => {
    const [everything, changing, slow] = await Promise.all([
      startEverythingBackend({ era }),
      startChangingBackend({ era }),
      startSlowBackend({ era }),
    ]);
    return { everything, changing, slow };
  };
  [backends["2025-11-25"], backends["2026-07-28"]] = await Promise.all([start("2025-11-25"), start("both")]);
  stack = await startGatewayTestStack({ env: { MCP_LIST_PAGE_SIZE: String(PAGE_SIZE) } });
  for (const era of ["2025-11-25", "2026-07-28"] as const)
    for (const kind of ["everything", "changing", "slow"] as const) {
      const slug = SLUGS[era][kind];
      await stack.addBackend({ slug, displayName: slug, url: backends[era][kind].url, auth: { mode: "none" } } as never);
    }
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await Promise.all(Object.values(backends).flatMap((b) => [b.everything.close(), b.changing.close(), b.slow.close()]));
});

const textOf = (r: { content: unknown[] }) => (r.content[0] as { text: string }).text;

const PAIRINGS: [ClientEra, BackendEra][] = [
  ["2025-11-25", "2025-11-25"],
  ["2025-11-25", "2026-07-28"],
  ["2026-07-28", "2025-11-25"],
  ["2026-07-28", "2026-07-28"],
];

describe.each(PAIRINGS)("[gateway] a %s client, a %s backend", (clientEra, backendEra) => {
  const slugs = SLUGS[backendEra];
  const connect = async (): Promise<EraClient> => connectEraClient(clientEra, stack.mcpUrl, await stack.tokenFor("alice"));

  it("calls a tool and gets its answer", async () => {
    const client = await connect();
    expect(textOf(await client.callTool(`${slugs.everything}_echo`, { text: "hello" }))).toBe("hello");
    await client.close();
  });

  it("two people calling at once, with the same request id, each get their own answer", async () => {
    // Fresh clients count their ids alike; the backend's session is shared (one credential for all).
    const alice = await connect();
    const bob = await connectEraClient(clientEra, stack.mcpUrl, await stack.tokenFor("bob"));
    const [forAlice, forBob] = await Promise.all([
      alice.callTool(`${slugs.slow}_wait`, { ms: 200 }),
      bob.callTool(`${slugs.slow}_wait`, { ms: 500 }),
    ]);
    expect([textOf(forAlice), textOf(forBob)]).toEqual(["waited 200 ms", "waited 500 ms"]);
    await Promise.all([alice.close(), bob.close()]);
  });

  it("lists and reads the backend's resources and templates under its prefix", async () => {
    const client = await connect();
    const resources = await everyPage((cursor) => client.listResources(cursor));
    expect(resources.items.map((r) => r.uri)).toContain(`${slugs.everything}+info://about`);
    const templates = await everyPage((cursor) => client.listResourceTemplates(cursor));
    expect(templates.items.map((t) => t.uriTemplate)).toContain(`${slugs.everything}+notes://{id}`);
    const about = await client.readResource(`${slugs.everything}+info://about`);
    expect(about.contents[0]).toMatchObject({ uri: `${slugs.everything}+info://about`, text: "Everything backend." });
    const note = await client.readResource(`${slugs.everything}+notes://beta`);
    expect(note.contents[0]).toMatchObject({ uri: `${slugs.everything}+notes://beta`, text: "Note beta." });
    await client.close();
  });

  it("lists the backend's prompts and gets one with its argument", async () => {
    const client = await connect();
    const prompts = await everyPage((cursor) => client.listPrompts(cursor));
    expect(prompts.items.map((p) => p.name)).toContain(`${slugs.everything}_greet`);
    const prompt = await client.getPrompt(`${slugs.everything}_greet`, { name: "Ada" });
    expect(prompt.messages[0]!.content).toMatchObject({ text: "Greet Ada warmly." });
    await client.close();
  });

  it("completes a prompt argument and a resource template variable", async () => {
    const client = await connect();
    const names = await client.complete({
      ref: { type: "ref/prompt", name: `${slugs.everything}_greet` },
      argument: { name: "name", value: "A" },
    });
    expect(names.completion.values).toEqual(["Ada", "Alan"]);
    const ids = await client.complete({
      ref: { type: "ref/resource", uri: `${slugs.everything}+notes://{id}` },
      argument: { name: "id", value: "g" },
    });
    expect(ids.completion.values).toEqual(["gamma"]);
    await client.close();
  });

  it("pages through the tools, a backend's tools spread over more than one page", async () => {
    const client = await connect();
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor);
      expect(page.items.length).toBeLessThanOrEqual(PAGE_SIZE);
      pages.push(page.items.map((t) => t.name));
      cursor = page.nextCursor;
    } while (cursor);
    const names = pages.flat();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        `${slugs.everything}_echo`,
        `${slugs.everything}_ask_name`,
        `${slugs.everything}_summarize`,
        `${slugs.changing}_touch`,
        `${slugs.changing}_update`,
        `${slugs.slow}_wait`,
      ]),
    );
    // The everything backend's three tools cannot fit in one page of two.
    const pagesWithIt = pages.filter((page) => page.some((name) => name.startsWith(`${slugs.everything}_`)));
    expect(pagesWithIt.length).toBeGreaterThan(1);
    await client.close();
  });

  it("hears progress while a slow call runs", async () => {
    const client = await connect();
    const progress: number[] = [];
    const result = await client.callTool(`${slugs.slow}_wait`, { ms: 300 }, { onprogress: (p) => progress.push(p.progress) });
    expect(textOf(result)).toBe("waited 300 ms");
    expect(progress).toEqual([0, 100, 200, 300]);
    await client.close();
  });

  it("cancels a slow call, and the backend sees it cancelled", async () => {
    const client = await connect();
    const slow = backends[backendEra].slow;
    const before = slow.cancellations;
    const abort = new AbortController();
    // Aborted once the backend has said it is working: the call has reached it.
    const call = client.callTool(`${slugs.slow}_wait`, { ms: 30_000 }, { signal: abort.signal, onprogress: () => abort.abort() });
    await expect(call).rejects.toThrow();
    await expect.poll(() => slow.cancellations, { timeout: 10_000 }).toBe(before + 1);
    await client.close();
  });

  it("answers the backend's elicitation mid-call, and the answer reaches it", async () => {
    const client = await connect();
    expect(textOf(await client.callTool(`${slugs.everything}_ask_name`, {}))).toBe("Hello, Ada.");
    expect(client.asked).toEqual(["elicit:Your name?"]);
    await client.close();
  });

  it("answers the backend's sampling request mid-call with its model", async () => {
    const client = await connect();
    expect(textOf(await client.callTool(`${slugs.everything}_summarize`, { text: "a long text" }))).toBe("Summary: short a long text");
    expect(client.asked).toEqual(["sample"]);
    await client.close();
  });

  it("listening, hears that another client's call changed the backend's tools", async () => {
    const listener = await connect();
    const caller = await connect();
    const { heard, stop } = await listener.listenForToolChanges();
    let changed = false;
    void heard.then(() => (changed = true));
    // A handshake client's GET stream opens in the background after its handshake: touch until heard.
    for (let i = 0; i < 20 && !changed; i++) {
      await caller.callTool(`${slugs.changing}_touch`, {});
      await Promise.race([heard, new Promise((r) => setTimeout(r, 500))]);
    }
    expect(changed).toBe(true);
    const tools = await everyPage((cursor) => caller.listTools(cursor));
    expect(tools.items.map((t) => t.name)).toContain(`${slugs.changing}_touched_1`);
    await stop();
    await Promise.all([listener.close(), caller.close()]);
  });
});
