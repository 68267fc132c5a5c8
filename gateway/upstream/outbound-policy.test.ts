// The gateway calls a backend only at an address the outbound policy allows: a backend row that
// names an internal address (saved before the policy, or edited in the database) is refused when
// the upstream session would open, with a sentence that names the setting, and nothing is sent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { emitChange } from "@/lib/events";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { spyOnOutboundConnections } from "@/testkit/outbound-connections";

let stack: GatewayTestStack;
beforeAll(async () => {
  stack = await startGatewayTestStack();
});
afterAll(() => stack?.close());

describe("[gateway] outbound policy", () => {
  it("a backend at the cloud metadata address is not called, and the client is told why", async () => {
    const id = stack.backendIds.utils;
    await getDb().backend.update({ where: { id }, data: { url: "http://169.254.169.254/mcp" } });
    emitChange({ kind: "backend", id });
    await stack.useGateway();
    const connections = spyOnOutboundConnections();
    const client = await stack.connect("alice", { path: "/api/mcp/utils" });
    const result = (await client.callTool({ name: "echo", arguments: { text: "x" } }).catch((e: Error) => ({ error: e.message }))) as {
      error?: string;
      content?: { text: string }[];
    };
    const text = result.error ?? result.content?.[0]?.text ?? "";
    expect(text).toContain(
      'Backend "Utilities" (utils) is not called: refused: http://169.254.169.254 uses plain http; use https, or allow plain http to this host with OUTBOUND_ALLOWED_HOSTS',
    );
    expect(connections.count()).toBe(0);
    await client.close();
  });
});
