// Upstream sessions are set up once per (backend, credential identity) and reused; a change to a
// backend's credential closes them; audit writes never hold a call up and none is lost on flush.
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { updateBackend } from "@/lib/backends/update-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
beforeAll(async () => {
  stack = await startGatewayTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const echo = (text: string) => ({ name: "", arguments: { text } });

describe("[gateway] upstream sessions", () => {
  it("one session per backend for shared credentials, one per user for exchanged tokens, however many calls", async () => {
    await stack.useGateway();
    const [alice, bob] = [await stack.connect("alice"), await stack.connect("bob")];
    // initialize reads every backend's capabilities: utils and search share one session each (shared
    // credentials), tickets has one per user (exchanged tokens), gitlab none (nobody linked).
    expect(stack.gateway.upstreamSessions).toBe(4);
    for (let i = 0; i < 5; i++) {
      await alice.callTool({ ...echo(`a${i}`), name: "utils_echo" });
      await bob.callTool({ ...echo(`b${i}`), name: "utils_echo" });
    }
    expect(stack.gateway.upstreamSessions).toBe(4);
    for (let i = 0; i < 3; i++) {
      await alice.callTool({ ...echo(`a${i}`), name: "tickets_echo" });
      await bob.callTool({ ...echo(`b${i}`), name: "tickets_echo" });
    }
    expect(stack.gateway.upstreamSessions).toBe(4);
    await Promise.all([alice.close(), bob.close()]);
  });

  it("replacing a backend's secret closes its sessions and the next call uses the new one", async () => {
    const client = await stack.connect("alice");
    await client.callTool({ ...echo("before"), name: "search_echo" });
    const { headerName, apiKey } = stack.world.staticKey;
    const sessions = stack.gateway.upstreamSessions;

    await updateBackend(stack.backendIds.search, { auth: { mode: "static_header", headerName, value: "wrong-key" } }, { userId: null });
    expect(stack.gateway.upstreamSessions).toBe(sessions - 1);
    const error = await client.callTool({ ...echo("x"), name: "search_echo" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).message).toContain("refused Gatehouse's credential (HTTP 401)");
    expect((error as McpError).message).not.toContain("wrong-key");

    await updateBackend(stack.backendIds.search, { auth: { mode: "static_header", headerName, value: apiKey } }, { userId: null });
    const result = (await client.callTool({ ...echo("after"), name: "search_echo" })) as { content: { text: string }[] };
    expect(result.content[0]!.text).toBe("after");
    await client.close();
  });

  it("a disabled backend disappears from lists and calls at once", async () => {
    const client = await stack.connect("bob");
    await updateBackend(stack.backendIds.utils, { enabled: false }, { userId: null });
    try {
      expect((await client.listTools()).tools.some((t) => t.name.startsWith("utils_"))).toBe(false);
      const error = await client.callTool({ ...echo("x"), name: "utils_echo" }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as McpError).code).toBe(-32602);
    } finally {
      await updateBackend(stack.backendIds.utils, { enabled: true }, { userId: null });
    }
    await client.close();
  });
});

describe("[gateway] audit", () => {
  it("calls complete while the database is locked, and every call's audit row is written on flush", async () => {
    const client = await stack.connect("alice");
    await client.callTool({ ...echo("warm"), name: "utils_echo" }); // user id, backends, session: cached
    await flushAudit();
    const aliceId = await stack.userIdOf("alice");
    const count = () => stack.db.prisma.auditEvent.count({ where: { userId: aliceId, backend: "utils", action: "tool_call" } });
    const before = await count();

    // Hold PGlite's only connection: any database access on the call path would now wait.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const session = await stack.db.openSession();
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const lock = session.transaction(async () => {
      locked();
      await held;
    });
    await isLocked;
    const calls = 25;
    for (let i = 0; i < calls; i++) {
      const result = (await client.callTool({ ...echo(`locked ${i}`), name: "utils_echo" })) as { content: { text: string }[] };
      expect(result.content[0]!.text).toBe(`locked ${i}`);
    }
    release();
    await lock;
    await flushAudit();
    expect(await count()).toBe(before + calls);
    await client.close();
  });
});
