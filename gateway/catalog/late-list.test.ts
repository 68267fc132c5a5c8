// A backend that is slow, not sick: its first list arrives after the list budget, so the lists that
// could not wait leave it out; when it arrives, a listening client is told the tools changed, and
// the next list has them.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChangingBackend, type ChangingBackend } from "@/testkit/changing-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { readEvents } from "@/testkit/sse-events";

const BUDGET_MS = 1_000;
const LIST_DELAY_MS = 3_000;

let stack: GatewayTestStack;
let backend: ChangingBackend;
let slowFront: Server;
let listsSeen = 0;

beforeAll(async () => {
  backend = await startChangingBackend({ era: "2025-11-25" });
  // In front of the backend: every tools/list is answered LIST_DELAY_MS late, everything else at once.
  slowFront = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const slow = body.toString("utf8").includes('"tools/list"');
      if (slow) listsSeen++;
      setTimeout(
        () => {
          const upstream = request(backend.url, { method: req.method, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          upstream.on("error", () => res.destroy());
          upstream.end(body);
        },
        slow ? LIST_DELAY_MS : 0,
      );
    });
  });
  await new Promise<void>((r) => slowFront.listen(0, "127.0.0.1", r));
  stack = await startGatewayTestStack({ env: { LIST_BUDGET_MS: String(BUDGET_MS), OUTBOUND_ALLOW_PRIVATE: "true" } });
  await stack.addBackend({
    slug: "slow",
    displayName: "Slow",
    url: `http://127.0.0.1:${(slowFront.address() as AddressInfo).port}/mcp`,
    auth: { mode: "none" },
    timeoutMs: 30_000,
  } as never);
}, 120_000);
afterAll(async () => {
  slowFront?.closeAllConnections();
  await new Promise<void>((r) => (slowFront ? slowFront.close(() => r()) : r()));
  await stack?.close();
  await backend?.close();
});

describe("[gateway] a backend whose first list comes after the budget", () => {
  it("is left out at first, announced to a listening client when its list arrives, and listed next time", async () => {
    const listening = await fetch(`${stack.url}/api/mcp`, {
      headers: { accept: "text/event-stream", authorization: `Bearer ${await stack.tokenFor("alice")}` },
    });
    expect(listening.status).toBe(200);
    const events = readEvents(listening);

    const client = await stack.connect("alice");
    const first = (await client.listTools()).tools.map((t) => t.name);
    expect(first.some((n) => n.startsWith("slow_"))).toBe(false);
    expect(listsSeen).toBeGreaterThan(0);

    const changed = await events.next((e) => (e.data ?? "").includes("notifications/tools/list_changed"));
    expect(changed.data).toContain("notifications/tools/list_changed");
    const second = (await client.listTools()).tools.map((t) => t.name);
    expect(second.some((n) => n.startsWith("slow_"))).toBe(true);
    await events.close();
    await client.close();
  }, 30_000);
});
