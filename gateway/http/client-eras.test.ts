// Both protocol eras served at /api/mcp and /api/mcp/<slug> in front of a handshake-era backend
// (testkit's everything backend): a handshake-era client (SDK v1) and a 2026-07-28 client (SDK v2,
// pinned) list, read, prompt, complete and call; the backend's mid-call elicitation and sampling
// reach the handshake client and its answers reach the backend; hostile requests are refused.
import { request } from "node:http";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingBackend, type EverythingBackend } from "@/testkit/conformance/everything-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

describe("[gateway] both protocol eras in front of a handshake-era backend", () => {
  let stack: GatewayTestStack;
  let backend: EverythingBackend;
  let token: string;
  beforeAll(async () => {
    backend = await startEverythingBackend({ pageSize: 4 });
    stack = await startGatewayTestStack({ env: { MCP_LIST_PAGE_SIZE: "5" } });
    await stack.addBackend({ slug: "everything", displayName: "Everything", url: backend.url, auth: { mode: "none" } } as never);
    token = await stack.tokenFor("alice");
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await backend?.close();
  });

  async function handshakeClient(path = "/api/mcp"): Promise<Client> {
    const client = new Client({ name: "v1", version: "1.0.0" }, { capabilities: { elicitation: {}, sampling: {} } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${stack.url}${path}`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    return client;
  }

  async function everyPage<T>(list: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
    const all: T[] = [];
    let cursor: string | undefined;
    do {
      const { items, next } = await list(cursor);
      all.push(...items);
      cursor = next;
    } while (cursor);
    return all;
  }

  it("a handshake-era client reads prefixed resources and templates, gets prompts and completes an argument", async () => {
    const client = await handshakeClient();
    expect(client.getServerCapabilities()).toMatchObject({ logging: {}, completions: {}, resources: { subscribe: true } });
    const resources = await everyPage((cursor) =>
      client.listResources({ cursor }).then((r) => ({ items: r.resources, next: r.nextCursor })),
    );
    expect(resources.map((r) => r.uri)).toContain("everything+test://static-text");
    const resourceTemplates = await everyPage((cursor) =>
      client.listResourceTemplates({ cursor }).then((r) => ({ items: r.resourceTemplates, next: r.nextCursor })),
    );
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain("everything+test://template/{id}/data");
    const read = await client.readResource({ uri: "everything+test://template/7/data" });
    expect(read.contents[0]).toMatchObject({ uri: "everything+test://template/7/data", text: expect.stringContaining('"id":"7"') });
    await expect(client.readResource({ uri: "nobody+test://static-text" })).rejects.toThrow(/Resource not found/);
    const prompt = await client.getPrompt({ name: "everything_test_prompt_with_arguments", arguments: { arg1: "a", arg2: "b" } });
    expect(prompt.messages[0]!.content).toMatchObject({ text: "Prompt with arguments: arg1='a', arg2='b'" });
    const completed = await client.complete({
      ref: { type: "ref/prompt", name: "everything_test_prompt_with_arguments" },
      argument: { name: "arg1", value: "par" },
    });
    expect(completed.completion.values).toEqual(["paris", "park", "party"]);
    expect(await client.setLoggingLevel("debug")).toEqual({});
    expect(await client.subscribeResource({ uri: "everything+test://watched-resource" })).toEqual({});
    await client.close();
  });

  it("a handshake-era client gets progress, and answers the backend's elicitation and sampling mid-call", async () => {
    const client = await handshakeClient();
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params.message);
      return { action: "accept", content: { username: "alice", email: "alice@example.com" } };
    });
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: "assistant",
      content: { type: "text", text: "forty-two" },
      model: "test",
      stopReason: "endTurn",
    }));
    const elicited = await client.callTool({ name: "everything_test_elicitation", arguments: { message: "Who are you?" } });
    expect(asked).toEqual(["Who are you?"]);
    expect(elicited.content).toEqual([{ type: "text", text: expect.stringContaining('"username":"alice"') }]);
    const sampled = await client.callTool({ name: "everything_test_sampling", arguments: { prompt: "meaning?" } });
    expect(sampled.content).toEqual([{ type: "text", text: "LLM response: forty-two" }]);
    const progress: number[] = [];
    await client.callTool({ name: "everything_test_tool_with_progress", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(progress).toEqual([0, 50, 100]);
    await client.close();
  });

  it("a 2026-07-28 client discovers the gateway and calls tools without a handshake", async () => {
    const client = new ModernClient({ name: "v2", version: "2.0.0" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
    await client.connect(
      new ModernTransport(new URL(`${stack.url}/api/mcp/everything`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("test_simple_text");
    const result = await client.callTool({ name: "test_simple_text", arguments: {} });
    expect(result.content).toEqual([{ type: "text", text: "This is a simple text response for testing." }]);
    const read = await client.readResource({ uri: "test://static-text" });
    expect(read.contents[0]).toMatchObject({ text: "This is the content of the static text resource." });
    await client.close();
  });

  it("a handshake-era client pages through tools that the backend itself lists in several pages", async () => {
    const client = await handshakeClient("/api/mcp/everything");
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listTools({ cursor });
      expect(page.tools.length).toBeLessThanOrEqual(5);
      names.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(names).toHaveLength(15);
    expect(new Set(names).size).toBe(15);
    expect(names).toContain("json_schema_2020_12_tool");
    const first = await client.listTools();
    // Altered, or carried to another endpoint: refused.
    const altered = first.nextCursor!.slice(0, -4) + (first.nextCursor!.endsWith("AAAA") ? "BBBB" : "AAAA");
    await expect(client.listTools({ cursor: altered })).rejects.toThrow(/Invalid cursor/);
    const elsewhere = await handshakeClient("/api/mcp");
    await expect(elsewhere.listTools({ cursor: first.nextCursor })).rejects.toThrow(/Invalid cursor/);
    await client.close();
    await elsewhere.close();
  });

  it("a handshake-era client listening on GET hears that another client's call changed a backend's tools", async () => {
    const listener = await handshakeClient();
    const heard = new Promise<string>((resolve) =>
      listener.setNotificationHandler(ToolListChangedNotificationSchema, (n) => resolve(n.method)),
    );
    const caller = await handshakeClient("/api/mcp/everything");
    // The listener's GET stream opens in the background after its handshake: call until it hears.
    let method: string | undefined;
    for (let i = 0; i < 20 && !method; i++) {
      await caller.callTool({ name: "test_list_changed", arguments: {} });
      method = await Promise.race([heard, new Promise<undefined>((r) => setTimeout(r, 500))]);
    }
    expect(method).toBe("notifications/tools/list_changed");
    await listener.close();
    await caller.close();
  });

  const modernPost = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/api/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${token}`,
        "mcp-protocol-version": "2026-07-28",
        ...headers,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, ...body }),
    });
  const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {} };

  it("server/discover names both eras and every result carries its resultType and cache hints", async () => {
    const discovered = (await (await modernPost({ method: "server/discover", params: { _meta: meta } })).json()) as {
      result: Record<string, unknown>;
    };
    expect(discovered.result).toMatchObject({
      resultType: "complete",
      supportedVersions: expect.arrayContaining(["2026-07-28", "2025-11-25"]),
    });
    const listed = (await (await modernPost({ method: "tools/list", params: { _meta: meta } })).json()) as {
      result: Record<string, unknown>;
    };
    expect(listed.result).toMatchObject({ resultType: "complete", cacheScope: "private", ttlMs: expect.any(Number) });
  });

  it("a tools/call whose Mcp-Name header disagrees with its body is refused before anything is forwarded", async () => {
    const res = await modernPost(
      { method: "tools/call", params: { name: "everything_test_error_handling", arguments: {}, _meta: meta } },
      { "mcp-method": "tools/call", "mcp-name": "everything_test_simple_text" },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /Mcp-Name header \(everything_test_simple_text\) disagrees/,
    );
    const wrongMethod = await modernPost({ method: "tools/list", params: { _meta: meta } }, { "mcp-method": "tools/call" });
    expect(wrongMethod.status).toBe(400);
  });

  it("a request naming another host is refused; every loopback spelling of a loopback APP_URL is accepted", async () => {
    const { port } = new URL(stack.url);
    // node:http, not fetch: fetch will not send a Host header of our choosing.
    const ping = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${stack.url}/api/mcp`,
          {
            method: "POST",
            headers: {
              "content-type": "application/json",
              accept: "application/json, text/event-stream",
              authorization: `Bearer ${token}`,
              ...headers,
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }));
      });
    expect(await ping({ host: "evil.example" })).toBe(403);
    expect(await ping({ host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).toBe(403);
    expect(await ping({ origin: "http://evil.example" })).toBe(403);
    expect(await ping({ origin: `http://localhost:${port}`, host: `localhost:${port}` })).toBe(200);
    expect(await ping({ origin: `http://[::1]:${port}`, host: `[::1]:${port}` })).toBe(200);
    expect(await ping({ host: `127.0.0.1:${port}` })).toBe(200);
  });
});
