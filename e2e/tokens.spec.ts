// Personal access tokens in the portal: alice creates one (shown once: a reload no longer shows it),
// an MCP client uses it with a header, and after Revoke the gateway answers 401.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, signIn, test } from "@/e2e/fixtures";
import { shootPage } from "@/e2e/page-shots";

const listWith = (url: string, token: string) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });

test("[portal] alice creates a personal access token, sees it once, uses it from a script and revokes it", async ({ page, stack }) => {
  await signIn(page, stack, "alice", "/tokens");
  await expect(page.getByRole("heading", { name: "Personal access tokens", exact: true })).toBeVisible();
  await page.getByLabel("Name").fill("e2e-ci");
  await page.getByLabel("Expires").selectOption("7");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^gatehouse_pat_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent())!;
  await expect(page.getByText("Gatehouse will not show it again")).toBeVisible();
  await shootPage(page, "tokens-created");

  const client = new Client({ name: "e2e-script", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  expect((await client.listTools()).tools.map((t) => t.name)).toContain("search_echo");
  await client.close();

  // Shown once: after a reload the page lists the token by name and last characters only.
  await page.reload();
  const row = page.getByTestId("token-e2e-ci");
  await expect(row).toBeVisible();
  await expect(row).toContainText(`gatehouse_pat_…${token.slice(-4)}`);
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await shootPage(page, "tokens");

  await row.getByRole("button", { name: "Revoke token e2e-ci" }).click();
  await row.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(row).toContainText("revoked");
  const refused = await listWith(stack.mcpUrl, token);
  expect(refused.status).toBe(401);
  expect(refused.headers.get("www-authenticate")).toContain("resource_metadata=");
});
