// Listening clients of both eras, in front of a handshake-era backend ("old") and one that also speaks
// 2026-07-28 ("new"), both visible to alice's group only, and one everyone sees ("shared"): a 2026
// client's subscriptions/listen hears list changes and resource updates that another client's calls
// cause; a handshake client's GET stream hears the resources its session subscribed to, and is
// resumed with Last-Event-ID; bob, who may not see old and new, hears nothing of theirs; a tools/call
// whose Mcp-Param-* header disagrees with its arguments is refused before it reaches the backend.
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingBackend, type EverythingBackend } from "@/e2e/world/everything-mcp";
import { bus } from "@/lib/bus/bus";
import { startChangingBackend, type ChangingBackend } from "@/testkit/changing-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { readEvents } from "@/testkit/sse-events";

let stack: GatewayTestStack;
let old: ChangingBackend;
let modern: ChangingBackend;
let shared: ChangingBackend;
let plain: EverythingBackend;
let mine: ChangingBackend;
let mineId: string;

beforeAll(async () => {
  [old, modern, shared, plain, mine] = await Promise.all([
    startChangingBackend({ era: "2025-11-25" }),
    startChangingBackend({ era: "both" }),
    startChangingBackend({ era: "2025-11-25" }),
    startEverythingBackend({ era: "2025-11-25" }), // offers no resource subscriptions
    startChangingBackend({ era: "both" }),
  ]);
  stack = await startGatewayTestStack();
  const engineering = { auth: { mode: "none" }, visibleToGroups: ["/engineering"] } as const;
  await stack.addBackend({ slug: "old", displayName: "Old", url: old.url, ...engineering } as never);
  await stack.addBackend({ slug: "new", displayName: "New", url: modern.url, ...engineering } as never);
  await stack.addBackend({ slug: "shared", displayName: "Shared", url: shared.url, auth: { mode: "none" } } as never);
  await stack.addBackend({ slug: "plain", displayName: "Plain", url: plain.url, auth: { mode: "none" } } as never);
  // Each user's own exchanged token, as the seeded tickets backend has it.
  const { world } = stack;
  mineId = await stack.addBackend({
    slug: "mine",
    displayName: "Mine",
    url: mine.url,
    auth: {
      mode: "token_exchange",
      tokenEndpoint: world.keycloak.tokenEndpoint,
      clientId: world.gatehouseClient.clientId,
      clientSecret: world.gatehouseClient.clientSecret,
      audience: world.exchangeAudience,
    },
  } as never);
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await Promise.all([old?.close(), modern?.close(), shared?.close(), plain?.close(), mine?.close()]);
});

async function handshakeClient(user: "alice" | "bob" = "alice"): Promise<Client> {
  const client = new Client({ name: "v1", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${stack.url}/api/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${await stack.tokenFor(user)}` } },
    }),
  );
  return client;
}

async function modernClient(user: "alice" | "bob" = "alice"): Promise<ModernClient> {
  const client = new ModernClient({ name: "v2", version: "2.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
  await client.connect(
    new ModernTransport(new URL(`${stack.url}/api/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${await stack.tokenFor(user)}` } },
    }),
  );
  return client;
}

/** Resolves with the first notification of `method` that `match` accepts. */
function next(
  heard: { method: string; params?: Record<string, unknown> }[],
  method: string,
  match = (_p?: Record<string, unknown>) => true,
) {
  return new Promise<Record<string, unknown> | undefined>((resolve) => {
    const poll = setInterval(() => {
      const found = heard.find((n) => n.method === method && match(n.params));
      if (!found) return;
      clearInterval(poll);
      resolve(found.params);
    }, 20);
  });
}

function record(client: ModernClient | Client, methods: string[]) {
  const heard: { method: string; params?: Record<string, unknown> }[] = [];
  for (const method of methods)
    (client as ModernClient).setNotificationHandler(
      method as never,
      ((n: { method: string; params?: Record<string, unknown> }) => void heard.push({ method: n.method, params: n.params })) as never,
    );
  return heard;
}

describe("[gateway] listening for changes", () => {
  it("a 2026 client's listen hears that another client's calls changed the tools of a handshake and a 2026 backend", async () => {
    const listener = await modernClient();
    const heard = record(listener, ["notifications/tools/list_changed"]);
    const subscription = await listener.listen({ toolsListChanged: true });
    expect(subscription.honoredFilter).toEqual({ toolsListChanged: true });
    const caller = await handshakeClient();
    await caller.callTool({ name: "old_touch", arguments: {} });
    await next(heard, "notifications/tools/list_changed");
    heard.length = 0;
    await caller.callTool({ name: "new_touch", arguments: {} });
    await next(heard, "notifications/tools/list_changed");
    expect((await caller.listTools()).tools.map((t) => t.name)).toContain("new_touched_1");
    await subscription.close();
    await Promise.all([listener.close(), caller.close()]);
  });

  it("a 2026 client listening for resource URIs hears their updates, prefixed, from both backends", async () => {
    const listener = await modernClient();
    const heard = record(listener, ["notifications/resources/updated"]);
    const subscription = await listener.listen({ resourceSubscriptions: ["new+memo://two", "old+memo://two", "nobody+memo://two"] });
    expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: ["new+memo://two", "old+memo://two"] });
    const caller = await handshakeClient();
    await caller.callTool({ name: "new_update", arguments: { uri: "memo://two" } });
    expect(await next(heard, "notifications/resources/updated")).toMatchObject({ uri: "new+memo://two" });
    await caller.callTool({ name: "old_update", arguments: { uri: "memo://one" } }); // not listened for
    await caller.callTool({ name: "old_update", arguments: { uri: "memo://two" } });
    await next(heard, "notifications/resources/updated", (p) => p?.uri === "old+memo://two");
    expect(heard.map((n) => n.params?.uri)).not.toContain("old+memo://one");
    await subscription.close();
    await Promise.all([listener.close(), caller.close()]);
  });

  it("a handshake client subscribed to a resource hears its update on its GET stream", async () => {
    const listener = await handshakeClient();
    const updates: string[] = [];
    listener.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await listener.subscribeResource({ uri: "old+memo://one" });
    await listener.subscribeResource({ uri: "new+memo://one" });
    const caller = await handshakeClient();
    // The listener's GET stream and its upstream subscription are set up in the background: update until heard.
    for (let i = 0; i < 40 && !updates.includes("old+memo://one"); i++) {
      await caller.callTool({ name: "old_update", arguments: { uri: "memo://one" } });
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(updates).toContain("old+memo://one");
    for (let i = 0; i < 40 && !updates.includes("new+memo://one"); i++) {
      await caller.callTool({ name: "new_update", arguments: { uri: "memo://one" } });
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(updates).toContain("new+memo://one");
    await listener.unsubscribeResource({ uri: "old+memo://one" });
    await listener.unsubscribeResource({ uri: "new+memo://one" });
    await Promise.all([listener.close(), caller.close()]);
  });

  it("a handshake client is told when a resource's backend offers no subscriptions", async () => {
    const client = await handshakeClient();
    await client.listResources();
    await expect(client.subscribeResource({ uri: "plain+info://about" })).rejects.toThrow(/Plain.*does not offer resource subscriptions/);
    await expect(client.subscribeResource({ uri: "nobody+memo://one" })).rejects.toThrow(/Resource not found/);
    await client.close();
  });

  it("bob, who may not see old and new, hears nothing of theirs", async () => {
    const bob = await modernClient("bob");
    const heard = record(bob, ["notifications/tools/list_changed", "notifications/resources/updated"]);
    const subscription = await bob.listen({ toolsListChanged: true, resourceSubscriptions: ["old+memo://one", "shared+memo://one"] });
    expect(subscription.honoredFilter).toEqual({ toolsListChanged: true, resourceSubscriptions: ["shared+memo://one"] });
    const alice = await handshakeClient();
    await alice.callTool({ name: "old_touch", arguments: {} });
    await alice.callTool({ name: "new_touch", arguments: {} });
    await alice.callTool({ name: "old_update", arguments: { uri: "memo://one" } });
    await alice.callTool({ name: "shared_update", arguments: { uri: "memo://one" } });
    // Events reach every stream in one order: once bob hears shared's update, anything of old's or new's would be in.
    await next(heard, "notifications/resources/updated");
    expect(heard).toEqual([{ method: "notifications/resources/updated", params: expect.objectContaining({ uri: "shared+memo://one" }) }]);
    await subscription.close();
    await Promise.all([bob.close(), alice.close()]);
  });

  it("two clients listening to one backend share one upstream listener, closed when the last goes", async () => {
    const settled = async (count: number) => {
      for (let i = 0; i < 100 && modern.listening !== count; i++) await new Promise((r) => setTimeout(r, 50));
      return modern.listening;
    };
    const [one, two] = await Promise.all([modernClient(), modernClient()]);
    const first = await one.listen({ resourceSubscriptions: ["new+memo://one"] });
    const second = await two.listen({ toolsListChanged: true, resourceSubscriptions: ["new+memo://two"] });
    expect(await settled(1)).toBe(1);
    await first.close();
    expect(await settled(1)).toBe(1);
    await second.close();
    expect(await settled(0)).toBe(0);
    await Promise.all([one.close(), two.close()]);
  });

  it("with a per-user credential each user listens upstream with their own, and each hears the update", async () => {
    const [alice, bob] = await Promise.all([modernClient("alice"), modernClient("bob")]);
    const heardByAlice = record(alice, ["notifications/resources/updated"]);
    const heardByBob = record(bob, ["notifications/resources/updated"]);
    const subscriptions = await Promise.all(
      [alice, bob].map((c) => c.listen({ resourceSubscriptions: ["mine+memo://one", "mine+memo://two", "mine+memo://three"] })),
    );
    expect(mine.listening).toBe(2);
    const caller = await handshakeClient();
    await caller.callTool({ name: "mine_update", arguments: { uri: "memo://one" } });
    expect(await next(heardByAlice, "notifications/resources/updated")).toMatchObject({ uri: "mine+memo://one" });
    expect(await next(heardByBob, "notifications/resources/updated")).toMatchObject({ uri: "mine+memo://one" });
    // Updates only one user's listener heard (a backend answering per user) reach that user alone.
    heardByAlice.length = heardByBob.length = 0;
    let n = 0;
    const heardWith = async (user: "alice" | "bob", uri: string) =>
      bus().publish("gateway.changes", {
        id: `elsewhere.${++n}`,
        kind: "resource_updated",
        backendId: mineId,
        identity: `user:${await stack.userIdOf(user)}:exchange`,
        uri,
      });
    await heardWith("alice", "memo://two");
    await heardWith("bob", "memo://three");
    await heardWith("alice", "memo://two");
    await heardWith("bob", "memo://three");
    // One order for all: a leaked event would be among each user's first two.
    await next(heardByAlice, "notifications/resources/updated", () => heardByAlice.length >= 2);
    await next(heardByBob, "notifications/resources/updated", () => heardByBob.length >= 2);
    expect(heardByAlice.slice(0, 2).map((h) => h.params?.uri)).toEqual(["mine+memo://two", "mine+memo://two"]);
    expect(heardByBob.slice(0, 2).map((h) => h.params?.uri)).toEqual(["mine+memo://three", "mine+memo://three"]);
    await Promise.all(subscriptions.map((s) => s.close()));
    await Promise.all([alice.close(), bob.close(), caller.close()]);
  });

  it("a GET stream resumed with Last-Event-ID gets the events it missed; an unknown id starts live and says so", async () => {
    const token = await stack.tokenFor("alice");
    const get = (lastEventId?: string) =>
      fetch(`${stack.url}/api/mcp`, {
        headers: {
          accept: "text/event-stream",
          authorization: `Bearer ${token}`,
          ...(lastEventId ? { "last-event-id": lastEventId } : {}),
        },
      });
    const caller = await handshakeClient();
    const first = await get();
    const events = readEvents(first);
    await caller.callTool({ name: "shared_touch", arguments: {} });
    const seen = await events.next((e) => e.id !== undefined);
    await events.close();
    await caller.callTool({ name: "old_touch", arguments: {} }); // missed while away
    const resumed = await get(seen.id);
    expect(resumed.status).toBe(200);
    const replay = readEvents(resumed);
    expect(JSON.parse((await replay.next((e) => e.data !== undefined)).data!)).toMatchObject({
      method: "notifications/tools/list_changed",
    });
    await replay.close();
    const unknown = await get("nobody.1");
    expect(unknown.status).toBe(200);
    const fresh = readEvents(unknown);
    expect((await fresh.next((e) => e.comment?.includes("nothing is replayed") ?? false)).comment).toMatch(/nothing is replayed/);
    await fresh.close();
    await caller.close();
  });
});

describe("[gateway] a hostile or mistaken listen", () => {
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
  const listen = async (params: Record<string, unknown>, version = "2026-07-28") => {
    const res = await fetch(`${stack.url}/api/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${await stack.tokenFor("alice")}`,
        "mcp-protocol-version": version,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: "listen:1", method: "subscriptions/listen", params }),
    });
    return (await res.json()) as { error?: { code: number; message: string } };
  };

  it("is refused with what the filter must be, or as unknown in the handshake era", async () => {
    expect((await listen({ _meta: meta })).error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/needs params.notifications/),
    });
    const many = Array.from({ length: 201 }, (_, i) => `old+memo://${i}`);
    expect((await listen({ notifications: { resourceSubscriptions: many }, _meta: meta })).error?.code).toBe(-32602);
    expect((await listen({ notifications: { toolsListChanged: "yes" }, _meta: meta })).error?.code).toBe(-32602);
    expect((await listen({ notifications: { toolsListChanged: true } }, "2025-11-25")).error?.code).toBe(-32601);
  });
});

describe("[gateway] shutting down", () => {
  it("a 2026 client's subscription ends gracefully and a GET stream ends when the gateway closes", async () => {
    const listener = await modernClient();
    const subscription = await listener.listen({ toolsListChanged: true });
    const get = await fetch(`${stack.url}/api/mcp`, {
      headers: { accept: "text/event-stream", authorization: `Bearer ${await stack.tokenFor("alice")}` },
    });
    const reader = get.body!.getReader();
    await stack.useGateway(); // closes the gateway that holds both
    expect(await subscription.closed).toBe("graceful");
    while (!(await reader.read()).done); // ends, rather than hanging the test
    await listener.close();
  });
});

describe("[gateway] 2026 routing headers", () => {
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };
  const call = async (args: Record<string, unknown>, headers: Record<string, string>) =>
    fetch(`${stack.url}/api/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${await stack.tokenFor("alice")}`,
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": "tools/call",
        "mcp-name": "old_route",
        ...headers,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "old_route", arguments: args, _meta: meta } }),
    });

  it("a tools/call whose Mcp-Param-* header disagrees with its arguments is refused, and nothing is forwarded", async () => {
    const before = old.calls.filter((c) => c === "route").length;
    const wrong = await call({ region: "eu" }, { "mcp-param-region": "us" });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/Mcp-Param-Region header \("us"\) disagrees/);
    const missing = await call({ region: "eu" }, {});
    expect(missing.status).toBe(400);
    const badBase64 = await call({ region: "eu" }, { "mcp-param-region": "=?base64?***?=" });
    expect(badBase64.status).toBe(400);
    expect(old.calls.filter((c) => c === "route").length).toBe(before);
    const right = await call({ region: "eu" }, { "mcp-param-region": `=?base64?${Buffer.from("eu").toString("base64")}?=` });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("route from eu");
  });

  it("a 2026 SDK client mirrors the declared argument into Mcp-Param-Region itself, and its call goes through", async () => {
    const client = await modernClient();
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === "old_route")?.inputSchema).toMatchObject({ properties: { region: { "x-mcp-header": "Region" } } });
    const result = await client.callTool({ name: "old_route", arguments: { region: "ap" } });
    expect(result.content).toEqual([{ type: "text", text: "route from ap" }]);
    await client.close();
  });
});
