// A backend that is down or slow never takes the others with it: lists leave it out, calls to it end
// at its timeout with an error naming it. Progress notifications stream through; a cancelled call is
// cancelled at the backend too.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let silent: Server;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  await stack.linkGitLab("alice");
  // Accepts connections and never answers: the slowest backend there is.
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  silent?.closeAllConnections();
  silent?.close();
  await stack?.close();
});

const names = async (user: "alice" | "bob") => {
  const client = await stack.connect(user);
  const tools = (await client.listTools()).tools.map((t) => t.name);
  await client.close();
  return tools;
};

async function errorOf(call: Promise<unknown>): Promise<McpError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

describe("[gateway] a backend down or slow", () => {
  it("a backend that is down is left out of the list; the others list and answer", async () => {
    await stack.useGateway(); // no cached lists
    stack.world.backends.static.setDown(true);
    try {
      const tools = await names("alice");
      expect(tools.some((n) => n.startsWith("search_"))).toBe(false);
      expect(tools).toEqual(expect.arrayContaining(["utils_echo", "tickets_whoami", "gitlab_get_current_user"]));
      const client = await stack.connect("alice");
      const ok = (await client.callTool({ name: "utils_echo", arguments: { text: "still here" } })) as { content: { text: string }[] };
      expect(ok.content[0]!.text).toBe("still here");
      const error = await errorOf(client.callTool({ name: "search_echo", arguments: { text: "x" } }));
      expect(error.message).toContain('Backend "Search" (search)');
      expect(error.message).toContain("HTTP 503");
      await client.close();
      // The console shows it: the row's last check says so, and the failure is audited.
      const row = await stack.db.prisma.backend.findUniqueOrThrow({
        where: { id: stack.backendIds.search },
        select: { lastCheckOk: true, lastCheckMessage: true },
      });
      expect(row).toMatchObject({ lastCheckOk: false, lastCheckMessage: expect.stringContaining("HTTP 503") });
      await flushAudit();
      expect(
        await stack.db.prisma.auditEvent.count({ where: { action: "backend_list", backend: "search", outcome: "failure" } }),
      ).toBeGreaterThan(0);
    } finally {
      stack.world.backends.static.setDown(false);
    }
  });

  it("a backend that never answers is left out after its timeout, and calls to it end with a clear error", async () => {
    const port = (silent.address() as AddressInfo).port;
    await stack.addBackend({
      slug: "silent",
      displayName: "Silent",
      url: `http://127.0.0.1:${port}/mcp`,
      timeoutMs: 1000,
      auth: { mode: "none" },
    });
    await stack.useGateway();
    const tools = await names("bob");
    expect(tools.some((n) => n.startsWith("silent_"))).toBe(false);
    expect(tools).toContain("utils_whoami");
    const client = await stack.connect("bob");
    const error = await errorOf(client.callTool({ name: "silent_anything" }));
    expect(error.message).toContain('Backend "Silent" (silent) did not answer within 1000 ms');
    await client.close();
  });

  it("a slow call ends at the backend's timeout with an error naming the backend", async () => {
    const client = await stack.connect("alice");
    const started = Date.now();
    const error = await errorOf(client.callTool({ name: "utils_sleep", arguments: { ms: 5000 } }, undefined, { timeout: 20_000 }));
    expect(error.message).toContain('Backend "Utilities" (utils) did not answer within 1000 ms');
    expect(Date.now() - started).toBeLessThan(5000);
    await client.close();
  });
});

describe("[gateway] streaming", () => {
  it("progress notifications from the backend reach the client", async () => {
    const client = await stack.connect("alice");
    const progress: number[] = [];
    const result = (await client.callTool({ name: "search_sleep", arguments: { ms: 450 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    })) as {
      content: { text: string }[];
    };
    expect(result.content[0]!.text).toBe("slept 450 ms");
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    await client.close();
  });

  it("a call the client cancels is cancelled at the backend", async () => {
    const client = await stack.connect("alice");
    const backend = stack.world.backends.static;
    const before = backend.cancellations;
    const abort = new AbortController();
    const call = client.callTool({ name: "search_sleep", arguments: { ms: 20_000 } }, undefined, { signal: abort.signal });
    setTimeout(() => abort.abort("changed my mind"), 300);
    await expect(call).rejects.toThrow();
    await expect.poll(() => backend.cancellations, { timeout: 5000 }).toBe(before + 1);
    await client.close();
  });
});
