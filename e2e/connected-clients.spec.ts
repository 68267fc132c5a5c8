// Connected clients in the portal: after an MCP client signs alice in and calls a tool, it is listed
// with its endpoint and its calls; Revoke ends it: its next call gets 401 and its refresh fails.
import { createHash, randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, signIn, test } from "@/e2e/fixtures";
import { shootPage } from "@/e2e/page-shots";

const CALLBACK = "http://127.0.0.1:9/callback";

test("[portal] alice sees the client she connected and revokes it", async ({ page, stack }) => {
  await signIn(page, stack, "alice", "/clients");
  await expect(page.getByRole("heading", { name: "Connected clients", exact: true })).toBeVisible();

  const reg = await fetch(`${stack.appUrl}/oauth/reg`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Revocable Agent", redirect_uris: [CALLBACK], token_endpoint_auth_method: "none" }),
  });
  const { client_id } = (await reg.json()) as { client_id: string };
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL(`${stack.appUrl}/oauth/authorize`);
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id,
    redirect_uri: CALLBACK,
    scope: "mcp",
    state: "st",
    resource: stack.mcpUrl,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }))
    url.searchParams.set(k, v);
  await page.route(`${CALLBACK}**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/plain", body: "The client received the answer." }),
  );
  await page.goto(url.toString());
  // Signed in to the portal already: straight to consent.
  await page.getByRole("button", { name: "Approve" }).click();
  await page.waitForURL((u) => u.toString().startsWith(CALLBACK));
  const token = await fetch(`${stack.appUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id,
      code: new URL(page.url()).searchParams.get("code")!,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
    }),
  });
  const { access_token, refresh_token } = (await token.json()) as { access_token: string; refresh_token: string };
  const client = new Client({ name: "revocable", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${access_token}` } } }),
  );
  await client.callTool({ name: "search_echo", arguments: { text: "hello" } });
  await client.close();

  await page.goto(`${stack.appUrl}/clients`);
  const card = page.locator("li", { has: page.getByRole("heading", { name: "Revocable Agent" }) });
  await expect(card).toContainText("/api/mcp");
  // The audit is written in batches: the count shows once the batch is in.
  await expect(async () => {
    await page.reload();
    await expect(card.getByTestId("calls-last-7-days")).toHaveText("1", { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await shootPage(page, "clients");

  await card.getByRole("button", { name: "Revoke Revocable Agent" }).click();
  await card.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(page.getByRole("heading", { name: "Revocable Agent" })).toHaveCount(0);

  const call = await fetch(stack.mcpUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  expect(call.status).toBe(401);
  const refresh = await fetch(`${stack.appUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", client_id, refresh_token }),
  });
  expect(refresh.status).toBe(400);
});
