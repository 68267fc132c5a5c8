// An MCP client that knows only the URL connects through Gatehouse's own authorization server: the
// MCP SDK client's OAuth from nothing (401 → RFC 9728 → RFC 8414 → dynamic registration → code +
// PKCE S256 + resource → token), then calls the GitLab backend and the token-exchange backend as
// alice, and refreshes when the access token is gone. The browser step is the consent page's logic.
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeIdpRefreshToken } from "@/lib/oauth-server/idp-refresh-token";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { authorizeInBrowser, TestOAuthClient } from "@/testkit/oauth-client";

let stack: GatewayTestStack;
let aliceId: string;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  await stack.linkGitLab("alice");
  aliceId = await stack.userIdOf("alice");
  // What the consent page keeps from alice's portal sign-in: her Keycloak refresh token.
  const signIn = await stack.world.keycloak.passwordGrant({
    username: "alice",
    password: "alice-password",
    clientId: stack.world.gatehouseClient.clientId,
  });
  await storeIdpRefreshToken(aliceId, signIn.refresh_token!);
});
afterAll(() => stack?.close());

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

/** The SDK client's whole OAuth dance against `path`, alice approving; returns the provider holding the tokens. */
async function connectWithOAuth(path = "/api/mcp"): Promise<{ client: Client; oauth: TestOAuthClient }> {
  const url = new URL(`${stack.url}${path}`);
  const oauth = new TestOAuthClient();
  const first = new StreamableHTTPClientTransport(url, { authProvider: oauth });
  await expect(new Client({ name: "t", version: "1" }).connect(first)).rejects.toThrow(UnauthorizedError);
  expect(oauth.authorizationUrl).toBeDefined();
  const outcome = await authorizeInBrowser(oauth.authorizationUrl!, { userId: aliceId });
  if (outcome.kind !== "redirect") throw new Error(`no redirect to the client: ${outcome.status} ${outcome.body.slice(0, 300)}`);
  expect(outcome.url.searchParams.get("iss")).toBe(stack.url); // RFC 9207
  await first.finishAuth(outcome.url.searchParams.get("code")!);
  const client = new Client({ name: "t", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: oauth }));
  return { client, oauth };
}

describe("[oauth] an MCP client signs in through Gatehouse", () => {
  it("discovers, registers, authorizes with PKCE and resource, and calls GitLab and the exchange backend as alice", async () => {
    const { client, oauth } = await connectWithOAuth();
    expect(oauth.information?.client_id).toBeTruthy();
    const access = decodeJwt(oauth.saved!.access_token);
    expect(access).toMatchObject({ iss: stack.url, aud: stack.mcpUrl, sub: aliceId, scope: "mcp" });
    expect(oauth.saved!.refresh_token).toBeTruthy();

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["gitlab_get_current_user", "tickets_whoami"]));
    expect(JSON.parse(text(await client.callTool({ name: "gitlab_get_current_user" })))).toMatchObject({ id: 101, username: "alice" });
    const exchanged = JSON.parse(text(await client.callTool({ name: "tickets_whoami" }))) as { sub: string; aud: string[] };
    expect(exchanged.aud).toContain(stack.world.exchangeAudience);
    expect(stack.world.backends.exchange.calls.at(-1)!.identity).toBe("alice");
    await client.close();
  });

  it("refreshes with the rotating refresh token when the access token is no longer accepted", async () => {
    const { client, oauth } = await connectWithOAuth();
    const before = oauth.saved!;
    await client.close();
    // The client's access token is gone (as after expiry): the SDK refreshes with its refresh token.
    oauth.saved = { ...before, access_token: "expired.token.value" };
    const again = new Client({ name: "t", version: "1" });
    await again.connect(new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { authProvider: oauth }));
    expect(oauth.saved.access_token).not.toBe(before.access_token);
    expect(oauth.saved.refresh_token).not.toBe(before.refresh_token);
    expect(JSON.parse(text(await again.callTool({ name: "gitlab_get_current_user" })))).toMatchObject({ username: "alice" });
    await again.close();
  });
});
