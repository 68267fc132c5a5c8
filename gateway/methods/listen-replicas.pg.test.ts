// Two gateway replicas on one PostgreSQL: a change heard on replica A (a call relayed there, the
// backend saying so on the call's stream) reaches a 2026 client listening on replica B, and so does a
// resource update; a handshake client's GET stream on A, resumed on B with Last-Event-ID, gets what it
// missed, because both replicas keep the same events under the same ids.
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChangingBackend, type ChangingBackend } from "@/testkit/changing-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { readEvents } from "@/testkit/sse-events";
import { startReplica, type Replica } from "@/testkit/start-replica";

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)("[gateway] listening across replicas (TEST_DATABASE_URL)", () => {
  let stack: GatewayTestStack;
  let old: ChangingBackend;
  let modern: ChangingBackend;
  let replica: Replica;
  let token: string;
  beforeAll(async () => {
    [old, modern] = await Promise.all([startChangingBackend({ era: "2025-11-25" }), startChangingBackend({ era: "both" })]);
    stack = await startGatewayTestStack({ postgresUrl });
    await stack.addBackend({ slug: "old", displayName: "Old", url: old.url, auth: { mode: "none" } } as never);
    await stack.addBackend({ slug: "new", displayName: "New", url: modern.url, auth: { mode: "none" } } as never);
    replica = await startReplica(stack.appEnv);
    token = await stack.tokenFor("alice");
  }, 120_000);
  afterAll(async () => {
    replica?.stop();
    await stack?.close();
    await Promise.all([old?.close(), modern?.close()]);
  });

  const callerOn = async (origin: string) => {
    const client = new Client({ name: "v1", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${origin}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    return client;
  };

  it("a 2026 client listening on B hears a tool change and a resource update that a call through A caused", async () => {
    const listener = new ModernClient({ name: "v2", version: "2.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
    await listener.connect(
      new ModernTransport(new URL(`${replica.url}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    const heard: { method: string; uri?: unknown }[] = [];
    listener.setNotificationHandler("notifications/tools/list_changed", (n) => void heard.push({ method: n.method }));
    listener.setNotificationHandler("notifications/resources/updated", (n) => void heard.push({ method: n.method, uri: n.params.uri }));
    const subscription = await listener.listen({ toolsListChanged: true, resourceSubscriptions: ["old+memo://one"] });
    const caller = await callerOn(stack.url);
    // Only A relays this call, and the backend says its tools changed on that call's stream alone.
    await caller.callTool({ name: "old_touch", arguments: {} });
    await until(() => heard.some((n) => n.method === "notifications/tools/list_changed"));
    await caller.callTool({ name: "old_update", arguments: { uri: "memo://one" } });
    await until(() => heard.some((n) => n.uri === "old+memo://one"));
    await subscription.close();
    await Promise.all([listener.close(), caller.close()]);
  }, 60_000);

  it("a GET stream opened on A and resumed on B with Last-Event-ID gets the event it missed", async () => {
    const get = (origin: string, lastEventId?: string) =>
      fetch(`${origin}/api/mcp`, {
        headers: {
          accept: "text/event-stream",
          authorization: `Bearer ${token}`,
          ...(lastEventId ? { "last-event-id": lastEventId } : {}),
        },
      });
    const caller = await callerOn(stack.url);
    const onA = readEvents(await get(stack.url));
    await caller.callTool({ name: "old_touch", arguments: {} });
    const seen = await onA.next((e) => e.id !== undefined);
    await onA.close();
    await caller.callTool({ name: "old_touch", arguments: {} }); // missed while away
    const onB = readEvents(await get(replica.url, seen.id));
    const missed = await onB.next((e) => e.id !== undefined);
    expect(missed.id).not.toBe(seen.id);
    expect(missed.id!.split(".")[0]).toBe(seen.id!.split(".")[0]); // both published by A, ids as A gave them
    await onB.close();
    await caller.close();
  }, 60_000);
});

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 50));
}
