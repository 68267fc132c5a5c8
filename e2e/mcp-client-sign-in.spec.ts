// An MCP client that knows only Gatehouse's URL: the person signs in with Keycloak in the browser,
// approves the client on Gatehouse's consent page, and the client's token reaches the backends as
// them (the token-exchange backend too, through the Keycloak sign-in kept at consent).
import { createHash, randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Page } from "@playwright/test";
import { expect, test } from "@/e2e/fixtures";
import type { Stack } from "@/e2e/stack";

const CALLBACK = "http://127.0.0.1:9/callback";

async function startAuthorization(page: Page, stack: Stack) {
  const reg = await fetch(`${stack.appUrl}/oauth/reg`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Playwright MCP client", redirect_uris: [CALLBACK], token_endpoint_auth_method: "none" }),
  });
  expect(reg.status).toBe(201);
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
  // The client's loopback listener: the redirect carrying the code ends here.
  await page.route(`${CALLBACK}**`, (route) =>
    route.fulfill({ status: 200, contentType: "text/plain", body: "The client received the answer." }),
  );
  await page.goto(url.toString());
  // Not signed in to the portal yet: Keycloak first, then back to the consent page.
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Foauth%2Finteraction%2F/);
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  await page.getByLabel("Username").fill("alice");
  await page.getByLabel("Password").fill("alice-password");
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page.getByRole("heading", { name: "Allow Playwright MCP client to use Gatehouse as you?" })).toBeVisible();
  await expect(page.getByTestId("consent-resource")).toContainText(stack.mcpUrl);
  await expect(page.getByTestId("consent-redirect-host")).toHaveText("127.0.0.1:9");
  return { client_id, verifier };
}

test("[mcp client] alice connects a client with only the URL: Keycloak sign-in, consent, tools as alice", async ({ page, stack }) => {
  const { client_id, verifier } = await startAuthorization(page, stack);
  await page.getByRole("button", { name: "Approve" }).click();
  await page.waitForURL((u) => u.toString().startsWith(CALLBACK));
  const back = new URL(page.url());
  expect(back.searchParams.get("iss")).toBe(stack.appUrl);
  expect(back.searchParams.get("state")).toBe("st");

  const res = await fetch(`${stack.appUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id,
      code: back.searchParams.get("code")!,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
    }),
  });
  expect(res.status).toBe(200);
  const { access_token } = (await res.json()) as { access_token: string };

  const client = new Client({ name: "e2e-oauth", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${access_token}` } } }),
  );
  const who = (await client.callTool({ name: "tickets_whoami" })) as { content: { text: string }[] };
  const claims = JSON.parse(who.content[0]!.text) as { preferred_username?: string; aud: string[] };
  expect(claims.aud).toContain(stack.world.exchangeAudience);
  expect(stack.world.backends.exchange.calls.at(-1)!.identity).toBe("alice");
  await client.close();
});

test("[mcp client] alice denies a client: it gets access_denied and no code", async ({ page, stack }) => {
  await startAuthorization(page, stack);
  await page.getByRole("button", { name: "Deny" }).click();
  await page.waitForURL((u) => u.toString().startsWith(CALLBACK));
  const back = new URL(page.url());
  expect(back.searchParams.get("error")).toBe("access_denied");
  expect(back.searchParams.get("code")).toBeNull();
});
