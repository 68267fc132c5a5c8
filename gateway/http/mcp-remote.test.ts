// A second real client: mcp-remote, the stdio bridge desktop clients use for remote servers, started
// with an Authorization header as a user would configure it, lists and calls tools through the gateway.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let configDir: string;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  configDir = mkdtempSync(path.join(tmpdir(), "gatehouse-mcp-remote-"));
});
afterAll(async () => {
  await stack?.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe("[gateway] mcp-remote", () => {
  it("bridges a stdio client to /api/mcp with a bearer header: lists and calls tools as the user", async () => {
    const token = await stack.tokenFor("alice");
    const proxy = createRequire(import.meta.url).resolve("mcp-remote/dist/proxy.js");
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [proxy, stack.mcpUrl, "--header", `Authorization: Bearer ${token}`, "--transport", "http-only", "--silent"],
      env: { ...(process.env as Record<string, string>), MCP_REMOTE_CONFIG_DIR: configDir },
      stderr: "pipe",
    });
    const client = new Client({ name: "mcp-remote-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["utils_echo", "tickets_whoami", "search_whoami"]));
      const echo = (await client.callTool({ name: "utils_echo", arguments: { text: "via mcp-remote" } })) as {
        content: { text: string }[];
      };
      expect(echo.content[0]!.text).toBe("via mcp-remote");
      const who = (await client.callTool({ name: "tickets_whoami" })) as { content: { text: string }[] };
      expect(JSON.parse(who.content[0]!.text)).toMatchObject({ preferred_username: "alice" });
    } finally {
      await client.close();
    }
  });
});
