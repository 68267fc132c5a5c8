// The MCP gateway against a running Gatehouse (server.ts: /api/mcp goes to the gateway's Node
// handler): an AI client asks alice to link GitLab with a URL elicitation, she links in the browser,
// and the client's retry succeeds as her. Also what a client discovers before it has a token.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError, type ElicitRequestURLParams } from "@modelcontextprotocol/sdk/types.js";
import { authorizeAtGitLab, expect, signIn, test } from "@/e2e/fixtures";
import type { Stack } from "@/e2e/stack";

async function mcpClientAs(stack: Stack, username: string): Promise<Client> {
  const password = stack.world.keycloak.users.find((u) => u.username === username)!.password;
  const { access_token } = await stack.world.keycloak.passwordGrant({ username, password, clientId: stack.world.gatehouseClient.clientId });
  const client = new Client({ name: "e2e-agent", version: "1.0.0" }, { capabilities: { elicitation: { url: {} } } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${access_token}` } } }),
  );
  return client;
}

test("[gateway] alice's AI client asks her to link GitLab; she links in the browser and the retry succeeds as her", async ({
  page,
  stack,
}) => {
  const client = await mcpClientAs(stack, "alice");
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(["utils_whoami", "tickets_whoami", "search_whoami"]));

    const error = await client.callTool({ name: "gitlab_get_current_user" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, "alice must start without a GitLab link").toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32042);
    const [elicitation] = ((error as McpError).data as { elicitations: ElicitRequestURLParams[] }).elicitations;
    expect(elicitation).toMatchObject({ mode: "url" });
    expect(elicitation!.url).toMatch(new RegExp(`^${stack.appUrl}/links/gitlab\\?user=[0-9a-f-]{36}$`));

    const { pathname, search } = new URL(elicitation!.url);
    await signIn(page, stack, "alice", pathname + search);
    await expect(page.getByRole("heading", { name: "Link your GitLab account" })).toBeVisible();
    await page.getByRole("link", { name: "Link GitLab" }).click();
    await authorizeAtGitLab(page, stack, "alice");
    await expect(page.getByTestId("link-done")).toContainText("Linked as alice.");

    const result = await client.callTool({ name: "gitlab_get_current_user" });
    const [content] = result.content as { type: string; text: string }[];
    expect(JSON.parse(content!.text)).toMatchObject({ id: 101, username: "alice" });
  } finally {
    await client.close();
  }
});

test("[gateway] a client without a token is told where to get one (RFC 9728)", async ({ request, stack }) => {
  const res = await request.post(stack.mcpUrl, { data: { jsonrpc: "2.0", id: 1, method: "tools/list" } });
  expect(res.status()).toBe(401);
  const metadataUrl = `${stack.appUrl}/.well-known/oauth-protected-resource/api/mcp`;
  expect(res.headers()["www-authenticate"]).toContain(`resource_metadata="${metadataUrl}"`);
  for (const url of [metadataUrl, `${stack.appUrl}/.well-known/oauth-protected-resource`]) {
    const metadata = await (await request.get(url)).json();
    expect(metadata).toMatchObject({ resource: stack.mcpUrl, authorization_servers: [stack.appUrl], bearer_methods_supported: ["header"] });
  }
  const one = await (await request.get(`${metadataUrl}/utils`)).json();
  expect(one).toMatchObject({ resource: `${stack.mcpUrl}/utils`, authorization_servers: [stack.appUrl] });
});
