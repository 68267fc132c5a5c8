import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  claudeCodeCommand,
  claudeDesktopConfig,
  clientSetups,
  curlCommand,
  cursorConfig,
  gatewayEndpoint,
  inspectorCliCommand,
  shellWord,
  TOKEN_VARIABLE,
  vscodeConfig,
} from "@/lib/connect/client-setup";
import { shellArgv } from "@/testkit/shell-argv";

const main = gatewayEndpoint("https://gatehouse.example.com/");
const gitlab = gatewayEndpoint("https://gatehouse.example.com", "gitlab");

// The shapes the clients document for these files (strict: a key they do not know is a mistake).
const vscodeShape = z.strictObject({
  servers: z.record(z.string().regex(/^[\w-]+$/), z.strictObject({ type: z.literal("http"), url: z.url() })),
});
const cursorShape = z.strictObject({ mcpServers: z.record(z.string(), z.strictObject({ url: z.url() })) });
const claudeDesktopShape = z.strictObject({
  mcpServers: z.record(z.string(), z.strictObject({ command: z.string(), args: z.array(z.string()) })),
});

// Each check starts a real shell, which can take seconds on a busy machine.
describe("[connect] the snippets a person copies", { timeout: 120_000 }, () => {
  it("name the gateway and each backend endpoint", () => {
    expect(main).toEqual({ url: "https://gatehouse.example.com/api/mcp", serverName: "gatehouse" });
    expect(gitlab).toEqual({ url: "https://gatehouse.example.com/api/mcp/gitlab", serverName: "gatehouse-gitlab" });
  });

  it("give Claude Code its options before the server name, as `claude mcp add` requires", () => {
    expect(shellArgv(claudeCodeCommand(main))).toEqual(["claude", "mcp", "add", "--transport", "http", "gatehouse", main.url]);
    expect(shellArgv(claudeCodeCommand(gitlab))).toEqual(["claude", "mcp", "add", "--transport", "http", "gatehouse-gitlab", gitlab.url]);
  });

  it("write VS Code's, Cursor's and Claude Desktop's files in the shapes those clients document", () => {
    const vscode = vscodeShape.parse(JSON.parse(vscodeConfig(main)));
    expect(vscode.servers.gatehouse).toEqual({ type: "http", url: main.url });
    expect(cursorShape.parse(JSON.parse(cursorConfig(gitlab))).mcpServers["gatehouse-gitlab"]).toEqual({ url: gitlab.url });
    const desktop = claudeDesktopShape.parse(JSON.parse(claudeDesktopConfig(main))).mcpServers.gatehouse!;
    expect([desktop.command, ...desktop.args]).toEqual(["npx", "mcp-remote", main.url]);
  });

  it("read the token from a variable in the Inspector and curl commands, never from the command line", () => {
    const env = { [TOKEN_VARIABLE]: "tok-123" };
    const inspector = shellArgv(inspectorCliCommand(main), env);
    expect(inspector.slice(0, 3)).toEqual(["npx", "@modelcontextprotocol/inspector", "--cli"]);
    expect(inspector).toContain("Authorization: Bearer tok-123");
    const curl = shellArgv(curlCommand(main), env);
    expect(curl).toContain("Authorization: Bearer tok-123");
    expect(JSON.parse(curl.at(-1)!)).toEqual({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(inspectorCliCommand(main)).not.toContain("tok-");
  });

  it("quote a hostile URL so the shell runs nothing from it", () => {
    const marker = path.join(tmpdir(), `gatehouse-pwned-${randomUUID()}`);
    const hostile = gatewayEndpoint(`https://evil.example/$(touch ${marker})';x=\`id\`;`);
    for (const command of [claudeCodeCommand(hostile), curlCommand(hostile), inspectorCliCommand(hostile)]) {
      expect(shellArgv(command)).toContain(hostile.url);
    }
    expect(existsSync(marker)).toBe(false);
    const words = ["plain", "it's", "a b", "$HOME", "`id`", "\\", "\n"];
    const printed = execFileSync("bash", ["-c", `printf '%s\\0' ${words.map(shellWord).join(" ")}`], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, NODE_ENV: "test" },
    });
    expect(printed.split("\0").slice(0, -1)).toEqual(words);
  });

  it("show every client's steps from these same snippets, and warn that a loopback URL is out of a connector's reach", () => {
    const setups = clientSetups(main, { tokensPath: "/tokens" });
    expect(setups.map((s) => s.id)).toEqual(["claude-code", "vscode", "cursor", "chatgpt", "mcp-remote", "inspector", "scripts"]);
    const codes = setups.flatMap((s) => s.steps.flatMap((step) => (step.snippet ? [step.snippet.code] : [])));
    for (const generated of [
      claudeCodeCommand(main),
      vscodeConfig(main),
      cursorConfig(main),
      claudeDesktopConfig(main),
      curlCommand(main),
    ]) {
      expect(codes).toContain(generated);
    }
    const chatgpt = (endpoint: typeof main) =>
      clientSetups(endpoint, { tokensPath: "/tokens" })
        .find((s) => s.id === "chatgpt")!
        .steps.map((s) => s.text)
        .join(" ");
    expect(chatgpt(gatewayEndpoint("http://localhost:3000"))).toContain("public https address");
    expect(chatgpt(main)).not.toContain("public https address");
    expect(setups.find((s) => s.id === "scripts")!.steps[0]!.text).toContain("Authorization: Bearer <token>");
  });
});
