// A backend that echoes its static key into an error page, at every offset around the length where
// the gateway cuts upstream text: the key is scrubbed before the cut, so neither the key nor any
// start of it (4 characters or more) reaches the client's error or the audit row.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

/** Where the gateway cuts a backend's error text (MAX_ERROR_TEXT in forward-call.ts). */
const LIMIT = 300;
const KEY = "LeAkKeY-7f3a9c21e4b8d06f5a1c";
const HEADER = "x-leaky-key";

let stack: GatewayTestStack;
let backend: Server;
let client: Client;

/** A minimal handshake-era MCP backend: initialize and tools/list answer; tools/call fails with the key at `offset` of its error page. */
function startLeakyBackend(): Promise<Server> {
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      const message = JSON.parse(raw || "{}") as { id?: number; method?: string; params?: { arguments?: { offset?: number } } };
      const reply = (result: unknown) =>
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: message.id, result }));
      if (message.id === undefined) return res.writeHead(202).end();
      if (message.method === "initialize")
        return reply({ protocolVersion: "2025-06-18", capabilities: { tools: {} }, serverInfo: { name: "leaky", version: "1" } });
      if (message.method === "tools/list") return reply({ tools: [{ name: "echo", inputSchema: { type: "object" } }] });
      // A handshake-era server: the gateway's server/discover is a method it does not know.
      if (message.method !== "tools/call")
        return res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } }));
      const offset = message.params?.arguments?.offset ?? 0;
      const received = String(req.headers[HEADER] ?? "");
      res.writeHead(500, { "content-type": "text/plain" }).end(`${"x".repeat(offset)}${received}${"y".repeat(LIMIT)}`);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  stack = await startGatewayTestStack();
  backend = await startLeakyBackend();
  await stack.addBackend({
    slug: "leaky",
    displayName: "Leaky",
    url: `http://127.0.0.1:${(backend.address() as AddressInfo).port}/mcp`,
    auth: { mode: "static_header", headerName: HEADER, value: KEY },
  });
  client = await stack.connect("alice");
});
afterAll(async () => {
  await client?.close();
  await stack?.close();
  backend?.close();
});

describe("[gateway] secrets in upstream error text", () => {
  it("never shows the key or its start at the cut, at any offset around the limit", async () => {
    const offsets = Array.from({ length: KEY.length + 5 }, (_, i) => LIMIT - KEY.length - 2 + i);
    const texts: string[] = [];
    for (const offset of offsets) {
      const error = await client.callTool({ name: "leaky_echo", arguments: { offset } }).then(
        () => undefined,
        (e: unknown) => (e as Error).message,
      );
      expect(error).toContain("answered HTTP 500");
      texts.push(error!);
    }
    await flushAudit();
    const rows = await getDb().auditEvent.findMany({ where: { backend: "leaky", action: "tool_call" }, select: { detail: true } });
    expect(rows).toHaveLength(offsets.length);
    texts.push(...rows.map((r) => JSON.stringify(r.detail)));

    // The key somewhere in what was shown proves the text got that far: the redaction marker.
    expect(texts.some((t) => t.includes("[redacted]"))).toBe(true);
    for (const text of texts) expect(text).not.toContain(KEY.slice(0, 4));
  });
});
