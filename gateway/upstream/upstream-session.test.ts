// A backend with sessions of its own (Mcp-Session-Id): the gateway initializes once per credential
// identity, sends the backend's session id on every forwarded call, sets up a new session once when
// the backend answers 404 (session expired), and drops its cached list when the backend announces
// notifications/tools/list_changed.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let server: Server;
const sessions = new Map<string, { transport: StreamableHTTPServerTransport; mcp: McpServer }>();
const seen = { initializes: 0, callSessionIds: [] as string[] };

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  stack = await startGatewayTestStack();
  server = createServer(async (req, res) => {
    const body = req.method === "POST" ? await readJson(req) : undefined;
    const id = req.headers["mcp-session-id"] as string | undefined;
    if (id) {
      const session = sessions.get(id);
      if (!session)
        return void res
          .writeHead(404, { "content-type": "application/json" })
          .end('{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}}');
      if ((body as { method?: string } | undefined)?.method === "tools/call") seen.callSessionIds.push(id);
      return session.transport.handleRequest(req, res, body);
    }
    if (!isInitializeRequest(body)) return void res.writeHead(400).end();
    seen.initializes++;
    const mcp = new McpServer({ name: "stateful", version: "1.0.0" });
    mcp.registerTool("session", { description: "This session's id." }, (extra) => ({
      content: [{ type: "text", text: extra.sessionId ?? "" }],
    }));
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (sid) => void sessions.set(sid, { transport, mcp }),
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  await stack.addBackend({
    slug: "stateful",
    displayName: "Stateful",
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    auth: { mode: "none" },
  });
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await stack?.close();
});

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

describe("[gateway] a backend with sessions", () => {
  it("is initialized once, and every forwarded call carries the backend's session id", async () => {
    const client = await stack.connect("alice");
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(text(await client.callTool({ name: "stateful_session" })));
    expect(seen.initializes).toBe(1);
    expect(new Set(ids).size).toBe(1);
    expect(sessions.has(ids[0]!)).toBe(true);
    expect(seen.callSessionIds).toEqual(ids);
    await client.close();
  });

  it("sets up a new session once when the backend has forgotten its session (404)", async () => {
    sessions.clear();
    const client = await stack.connect("bob");
    const id = text(await client.callTool({ name: "stateful_session" }));
    expect(seen.initializes).toBe(2);
    expect(sessions.has(id)).toBe(true);
    await client.close();
  });

  it("a tools/list_changed from the backend refreshes the gateway's list", async () => {
    const client = await stack.connect("alice");
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain("stateful_added");
    for (const { mcp } of sessions.values()) {
      // Registering on a connected server announces notifications/tools/list_changed on its GET stream.
      mcp.registerTool("added", { description: "Appeared later." }, () => ({ content: [{ type: "text", text: "new" }] }));
    }
    await expect.poll(async () => (await client.listTools()).tools.map((t) => t.name), { timeout: 5000 }).toContain("stateful_added");
    expect(text(await client.callTool({ name: "stateful_added" }))).toBe("new");
    await client.close();
  });
});
