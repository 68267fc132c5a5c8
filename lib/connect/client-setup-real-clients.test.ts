// The "Connect a client" page's snippets, run for real against the gateway as a person would run
// them: Claude Desktop's mcp-remote configuration signing in with nothing but the URL, the MCP
// Inspector's CLI and curl with a token, and the URL in VS Code's and Cursor's files leading an OAuth
// client to Gatehouse's authorization server. (Claude Code cannot be installed here: the unit test
// checks its command's shape.) The token is a Keycloak one from the test world's password grant,
// which the gateway accepts like a personal access token.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claudeDesktopConfig,
  curlCommand,
  cursorConfig,
  gatewayEndpoint,
  inspectorCliCommand,
  TOKEN_VARIABLE,
  vscodeConfig,
} from "@/lib/connect/client-setup";
import { storeIdpRefreshToken } from "@/lib/oauth-server/idp-refresh-token";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { authorizeInBrowser } from "@/testkit/oauth-client";
import { shellArgv } from "@/testkit/shell-argv";

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, "../..");
const inspectorCli = path.join(repo, "node_modules/@modelcontextprotocol/inspector-cli/build/cli.js");

let stack: GatewayTestStack;
let home: string;
let node22: string;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  home = mkdtempSync(path.join(tmpdir(), "gatehouse-connect-"));
  // The Inspector refuses Node 20; CI gets a Node 22 binary the way a person would.
  node22 = execFileSync("bash", [path.join(repo, "scripts/node22.sh")], { encoding: "utf8" }).trim();
}, 300_000);
afterAll(async () => {
  await stack?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A shell snippet as printed, with the person's token in its variable. */
async function shell(command: string, token: string): Promise<string> {
  const { stdout } = await run("bash", ["-c", command], {
    env: { PATH: process.env.PATH ?? "", [TOKEN_VARIABLE]: token, NODE_ENV: "test" },
  });
  return stdout;
}

/** An MCP answer, sent as JSON or as one server-sent event. */
function rpcResult(body: string): { tools: { name: string }[] } {
  const data = body.trimStart().startsWith("{") ? body : /^data: (.*)$/m.exec(body)?.[1];
  return (JSON.parse(data ?? "null") as { result: { tools: { name: string }[] } }).result;
}

// Real processes and a shell per step: seconds each on a busy machine.
describe("[connect] the page's steps, run for real", { timeout: 120_000 }, () => {
  it("Claude Desktop's mcp-remote configuration signs alice in with nothing but the URL and calls tools as her", async () => {
    const aliceId = await stack.userIdOf("alice");
    const signIn = await stack.world.keycloak.passwordGrant({
      username: "alice",
      password: "alice-password",
      clientId: stack.world.gatehouseClient.clientId,
    });
    await storeIdpRefreshToken(aliceId, signIn.refresh_token!);

    const server = (
      JSON.parse(claudeDesktopConfig(gatewayEndpoint(stack.url))) as { mcpServers: Record<string, { command: string; args: string[] }> }
    ).mcpServers.gatehouse!;
    // Started as Claude Desktop starts it: the command and arguments from the file, in the user's
    // environment (no browser here: mcp-remote prints the sign-in URL instead).
    const transport = new StdioClientTransport({
      command: server.command,
      args: server.args,
      cwd: repo,
      env: { PATH: process.env.PATH ?? "", HOME: home, MCP_REMOTE_CONFIG_DIR: home, BROWSER: "/bin/false", DISPLAY: "" },
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
    const client = new Client({ name: "claude-desktop-config-test", version: "1.0.0" });
    const connected = client.connect(transport);
    try {
      const outcome = await authorizeInBrowser(new URL(await authorizationUrl), { userId: aliceId });
      if (outcome.kind !== "redirect") throw new Error(`no redirect to mcp-remote: ${outcome.status}`);
      expect((await fetch(outcome.url)).status).toBe(200);
      await connected;
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names, names.join(", ")).toEqual(expect.arrayContaining(["tickets_whoami", "search_whoami"]));
      const who = (await client.callTool({ name: "tickets_whoami" })) as { content: { text: string }[] };
      expect(JSON.parse(who.content[0]!.text)).toMatchObject({ preferred_username: "alice" });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nmcp-remote said:\n${log.slice(-3000)}`);
    } finally {
      await client.close();
    }
  }, 120_000);

  it("the Inspector CLI command lists alice's tools with her token, at the gateway and at one backend's URL", async () => {
    const token = await stack.tokenFor("alice");
    const inspector = async (slug: string | undefined, withToken: string) => {
      const argv = shellArgv(inspectorCliCommand(gatewayEndpoint(stack.url, slug)), { [TOKEN_VARIABLE]: withToken });
      // `npx @modelcontextprotocol/inspector` runs the Inspector's CLI entry point: the one installed here.
      expect(argv.slice(0, 2)).toEqual(["npx", "@modelcontextprotocol/inspector"]);
      // Its entry point starts the CLI with the `node` on PATH: Node 22, as on the person's machine.
      const env = { PATH: `${path.dirname(node22)}:${process.env.PATH}`, HOME: home, NODE_ENV: "test" as const };
      // The standalone CLI package finds its own package.json only from a directory one level below a
      // package.json (it tests `../package.json` against the working directory); npx runs the full
      // Inspector package, where the other path it tries is right.
      return run(node22, [inspectorCli, ...argv.slice(2)], { env, cwd: path.join(repo, "lib") });
    };
    const all = JSON.parse((await inspector(undefined, token)).stdout) as { tools: { name: string }[] };
    expect(all.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["tickets_whoami", "search_whoami"]));
    const tickets = JSON.parse((await inspector("tickets", token)).stdout) as { tools: { name: string }[] };
    expect(tickets.tools.map((t) => t.name)).toContain("whoami");
    expect(tickets.tools.map((t) => t.name)).not.toContain("search_whoami");

    await expect(inspector(undefined, `${token.slice(0, -4)}AAAA`)).rejects.toMatchObject({ code: 1 });
  }, 120_000);

  it("the curl example lists alice's tools with her token, and a forged token gets 401", async () => {
    const e = gatewayEndpoint(stack.url);
    const token = await stack.tokenFor("alice");
    const tools = rpcResult(await shell(curlCommand(e), token)).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(["tickets_whoami", "search_whoami"]));

    const status = await shell(`${curlCommand(e)} -o /dev/null -w '%{http_code}'`, `${token.slice(0, -4)}AAAA`);
    expect(status).toBe("401");
    expect(await shell(`${curlCommand(e)} -o /dev/null -w '%{http_code}'`, "")).toBe("401");
  });

  it("the URL in VS Code's and Cursor's files leads an OAuth client to Gatehouse's sign-in", async () => {
    const vscode = JSON.parse(vscodeConfig(gatewayEndpoint(stack.url))) as { servers: Record<string, { url: string }> };
    const cursor = JSON.parse(cursorConfig(gatewayEndpoint(stack.url, "gitlab"))) as { mcpServers: Record<string, { url: string }> };
    for (const url of [vscode.servers.gatehouse!.url, cursor.mcpServers["gatehouse-gitlab"]!.url]) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(res.status).toBe(401);
      const metadataUrl = /resource_metadata="([^"]+)"/.exec(res.headers.get("www-authenticate") ?? "")?.[1];
      const metadata = (await (await fetch(metadataUrl!)).json()) as { resource: string; authorization_servers: string[] };
      expect(metadata.resource).toBe(url);
      const as = (await (await fetch(`${metadata.authorization_servers[0]}/.well-known/oauth-authorization-server`)).json()) as {
        registration_endpoint?: string;
      };
      expect(as.registration_endpoint).toBe(`${stack.url}/oauth/reg`);
    }
  });
});
