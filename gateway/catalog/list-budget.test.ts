// A backend that accepts connections and never answers: everyone's tools/list still answers within
// the list budget with the other backends' tools, and the hung backend is not waited for again
// while its circuit breaker is open.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let hung: Server;
let connections = 0;
const sockets: Socket[] = [];
beforeAll(async () => {
  hung = createServer((socket) => {
    connections++;
    sockets.push(socket); // read, never answered
  });
  await new Promise<void>((r) => hung.listen(0, "127.0.0.1", r));
  // The budget is far below the backend's timeout and the test's: waiting for the hung backend would time the test out.
  stack = await startGatewayTestStack({ env: { LIST_BUDGET_MS: "3000", OUTBOUND_ALLOW_PRIVATE: "true" } });
  await stack.addBackend({
    slug: "hung",
    displayName: "Hung",
    url: `http://127.0.0.1:${(hung.address() as { port: number }).port}/mcp`,
    auth: { mode: "none" },
    timeoutMs: 60_000,
  } as never);
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => hung.close(() => r()));
  await stack?.close();
});

describe("[gateway] lists with a hung backend", () => {
  it("alice's tools/list answers with the other backends' tools, and the next list does not knock on the hung one", async () => {
    const client = await stack.connect("alice");
    const first = (await client.listTools()).tools.map((t) => t.name);
    console.log(`[gateway] tools listed beside a hung backend: ${first.join(", ")}`);
    expect(first.some((n) => n.startsWith("search_"))).toBe(true);
    expect(first.some((n) => n.startsWith("hung_"))).toBe(false);
    expect(connections).toBeGreaterThan(0);

    const knocked = connections;
    const second = (await client.listTools()).tools.map((t) => t.name);
    expect(second.filter((n) => n.startsWith("search_"))).toEqual(first.filter((n) => n.startsWith("search_")));
    expect(connections).toBe(knocked);
    await client.close();
  }, 20_000);
});
