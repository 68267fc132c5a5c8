// The demo's pairings: GitLab's MCP endpoint and the tickets (token exchange) backend serve 2026-07-28
// beside the handshake era on one URL; search and utilities only the handshake era. A handshake-era
// client reaches each through the gateway, which speaks to each in its own era, and the console
// shows which.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBackend } from "@/lib/backends/get-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
beforeAll(async () => {
  stack = await startGatewayTestStack({ modernEras: true });
  await stack.linkGitLab("alice");
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

const textOf = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

async function eraOf(id: string) {
  for (let i = 0; i < 50; i++) {
    const { era } = await getBackend(id);
    if (era) return era.era;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

describe("[gateway] the test world's backends in both eras", () => {
  it("alice calls GitLab and tickets in 2026-07-28 and the others in the handshake era, each as herself", async () => {
    const client = await stack.connect("alice");
    expect(JSON.parse(textOf(await client.callTool({ name: "gitlab_get_current_user" })))).toMatchObject({ username: "alice" });
    expect(JSON.parse(textOf(await client.callTool({ name: "tickets_whoami" })))).toMatchObject({ preferred_username: "alice" });
    expect(textOf(await client.callTool({ name: "utils_echo", arguments: { text: "hi" } }))).toBe("hi");
    expect(await eraOf(stack.backendIds.gitlab)).toBe("2026-07-28");
    expect(await eraOf(stack.backendIds.tickets)).toBe("2026-07-28");
    expect(await eraOf(stack.backendIds.utils)).toBe("2025-11-25");
    await client.close();
  });

  it("a handshake-era client talking to GitLab's endpoint directly is still served on the same URL", async () => {
    const { world } = stack;
    const tokens = await world.gitlab.issueTokens({ username: "bob", clientId: world.gitlabApp.clientId, scopes: ["mcp"] });
    const direct = new Client({ name: "old-client", version: "1.0.0" });
    await direct.connect(
      new StreamableHTTPClientTransport(new URL(world.gitlab.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${tokens.access_token}` } },
      }),
    );
    expect(direct.getServerVersion()?.version).toBe("18.6.0-test");
    expect(JSON.parse(textOf(await direct.callTool({ name: "get_current_user" })))).toMatchObject({ username: "bob" });
    await direct.close();
  });
});
