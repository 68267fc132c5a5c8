// A backend that answers tools/call with plain JSON (not SSE): the gateway reads the answer whole and
// replies with a content-length (one write), audits its outcome, and still ends slow calls at the
// backend's timeout.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { flushAudit } from "@/lib/audit/record-audit";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let backend: Server;

function jsonMcpServer(): McpServer {
  const server = new McpServer({ name: "json", version: "1.0.0" });
  server.registerTool("echo", { inputSchema: { text: z.string() } }, ({ text }) => ({ content: [{ type: "text", text }] }));
  server.registerTool("fail", { inputSchema: {} }, () => ({ isError: true, content: [{ type: "text", text: "nope" }] }));
  server.registerTool("sleep", { inputSchema: { ms: z.number() } }, async ({ ms }) => {
    await new Promise((r) => setTimeout(r, ms));
    return { content: [{ type: "text", text: "slept" }] };
  });
  return server;
}

beforeAll(async () => {
  stack = await startGatewayTestStack();
  backend = createServer((req, res) => {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const server = jsonMcpServer();
    res.on("close", () => void server.close());
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  const port = (backend.address() as AddressInfo).port;
  await stack.addBackend({
    slug: "json",
    displayName: "Plain JSON",
    url: `http://127.0.0.1:${port}/mcp`,
    timeoutMs: 1000,
    auth: { mode: "none" },
  });
  await stack.useGateway();
});
afterAll(async () => {
  backend?.closeAllConnections();
  backend?.close();
  await stack?.close();
});

describe("[gateway] a backend answering plain JSON", () => {
  it("the call's answer comes back whole, with a content-length", async () => {
    const token = await stack.tokenFor("alice");
    const res = await fetch(stack.mcpUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 41, method: "tools/call", params: { name: "json_echo", arguments: { text: "whole ü" } } }),
    });
    const text = await res.text();
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ jsonrpc: "2.0", id: 41, result: { content: [{ type: "text", text: "whole ü" }] } });
  });

  it("outcomes are audited: a result as success, a tool error as failure", async () => {
    const client = await stack.connect("bob");
    const ok = (await client.callTool({ name: "json_echo", arguments: { text: "hi" } })) as { content: { text: string }[] };
    expect(ok.content[0]!.text).toBe("hi");
    const failed = (await client.callTool({ name: "json_fail", arguments: {} })) as { isError?: boolean };
    expect(failed.isError).toBe(true);
    await client.close();
    await flushAudit();
    const bobId = await stack.userIdOf("bob");
    const rows = await stack.db.prisma.auditEvent.findMany({
      where: { userId: bobId, backend: "json", action: "tool_call" },
      select: { tool: true, outcome: true },
    });
    expect(rows).toEqual(
      expect.arrayContaining([
        { tool: "echo", outcome: "success" },
        { tool: "fail", outcome: "failure" },
      ]),
    );
  });

  it("a slow JSON answer ends at the backend's timeout with an error naming the backend", async () => {
    const client = await stack.connect("alice");
    const started = Date.now();
    const error = await client.callTool({ name: "json_sleep", arguments: { ms: 3000 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).message).toContain('Backend "Plain JSON" (json) did not answer within 1000 ms');
    expect(Date.now() - started).toBeLessThan(2500);
    await client.close();
  });
});
