// A real MCP client doing its own OAuth: mcp-remote (the stdio bridge desktop clients use), given only
// Gatehouse's URL, discovers Gatehouse's authorization server, registers, prints the authorization URL
// (the browser step is driven here, as alice), receives the code on its own loopback callback, and
// then lists and calls tools as alice.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/e2e/stack";
import { storeIdpRefreshToken } from "@/lib/oauth-server/idp-refresh-token";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { authorizeInBrowser } from "@/testkit/oauth-client";

let stack: GatewayTestStack;
let configDir: string;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  configDir = mkdtempSync(path.join(tmpdir(), "gatehouse-mcp-remote-oauth-"));
});
afterAll(async () => {
  await stack?.close();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe("[oauth] mcp-remote", () => {
  it("signs in through Gatehouse with nothing but the URL, then calls the exchange backend as alice", async () => {
    const aliceId = await stack.userIdOf("alice");
    const signIn = await stack.world.keycloak.passwordGrant({
      username: "alice",
      password: "alice-password",
      clientId: stack.world.gatehouseClient.clientId,
    });
    await storeIdpRefreshToken(aliceId, signIn.refresh_token!);

    const proxy = createRequire(import.meta.url).resolve("mcp-remote/dist/proxy.js");
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [proxy, stack.mcpUrl, String(await freePort()), "--transport", "http-only"],
      // No browser here: mcp-remote prints the URL instead of opening it.
      env: { PATH: process.env.PATH ?? "", HOME: configDir, MCP_REMOTE_CONFIG_DIR: configDir, BROWSER: "/bin/false", DISPLAY: "" },
      stderr: "pipe",
    });
    let log = "";
    const authorizationUrl = new Promise<string>((resolve) => {
      transport.stderr!.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)/.exec(log);
        if (m) resolve(m[1]!);
      });
    });
    const client = new Client({ name: "mcp-remote-oauth-test", version: "1.0.0" });
    const connected = client.connect(transport);
    try {
      const url = new URL(await authorizationUrl);
      expect(url.searchParams.get("resource")).toBe(stack.mcpUrl);
      expect(url.searchParams.get("code_challenge_method")).toBe("S256");
      const outcome = await authorizeInBrowser(url, { userId: aliceId });
      if (outcome.kind !== "redirect") throw new Error(`no redirect to mcp-remote: ${outcome.status} ${outcome.body.slice(0, 200)}`);
      expect(outcome.url.hostname).toMatch(/^(localhost|127\.0\.0\.1)$/);
      // The browser lands on mcp-remote's own callback server, which exchanges the code.
      expect((await fetch(outcome.url)).status).toBe(200);
      await connected;
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["tickets_whoami", "utils_echo"]));
      const who = (await client.callTool({ name: "tickets_whoami" })) as { content: { text: string }[] };
      expect(JSON.parse(who.content[0]!.text)).toMatchObject({ preferred_username: "alice" });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nmcp-remote said:\n${log.slice(-3000)}`);
    } finally {
      await client.close();
    }
  }, 90_000);
});
