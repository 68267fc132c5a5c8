// The way in for a new user: the signed-in home (links, clients, the first-client hint), "Connect a
// client" with its copy buttons, and the navigation on a phone. This file runs its own Gatehouse, so
// no other spec's clients show up on alice's home page.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "@/e2e/fixtures";
import { seedStack } from "@/e2e/seed";
import { startStack, type Stack } from "@/e2e/stack";
import { claudeCodeCommand, gatewayEndpoint } from "@/lib/connect/client-setup";

test.describe.configure({ mode: "serial" });
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

// Screenshots for a person to look at, when asked for (not kept in git).
const SHOTS = process.env.SCREENSHOT_DIR;

let stack: Stack;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  stack = await startStack({ dataDir: mkdtempSync(path.join(tmpdir(), "gatehouse-connect-e2e-")), seed: seedStack });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});
test.afterAll(async () => {
  await stack?.stop();
});

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** An MCP client's authorization in alice's signed-in browser, approved on the consent page. */
async function connectClient(page: Page, name: string) {
  const callback = "http://127.0.0.1:9/callback";
  const reg = await fetch(`${stack.appUrl}/oauth/reg`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: name, redirect_uris: [callback], token_endpoint_auth_method: "none" }),
  });
  const { client_id } = (await reg.json()) as { client_id: string };
  const url = new URL(`${stack.appUrl}/oauth/authorize`);
  const challenge = createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url");
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id,
    redirect_uri: callback,
    scope: "mcp",
    state: "st",
    resource: stack.mcpUrl,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }))
    url.searchParams.set(k, v);
  await page.route(`${callback}**`, (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "ok" }));
  await page.goto(url.toString());
  await page.getByRole("button", { name: "Approve" }).click();
  await page.waitForURL((u) => u.toString().startsWith(callback));
}

test("[portal] alice's home shows her links and a first-client hint that leads to Connect a client, where she copies her URL", async ({
  page,
}) => {
  await signIn(page, stack, "alice", "/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
  await expect(page.getByTestId("home-link-gitlab")).toContainText("Not linked");
  await expect(page.getByTestId("home-clients")).toContainText("No AI client acts as you yet");
  await expect(page.getByTestId("home-clients").getByRole("link", { name: "Manage connected clients →" })).toHaveAttribute(
    "href",
    "/clients",
  );
  const hint = page.getByTestId("first-time-hint");
  await hint.getByRole("link", { name: "Connect a client" }).click();

  await expect(page).toHaveURL(`${stack.appUrl}/connect`);
  const mcpUrl = `${stack.appUrl}/api/mcp`;
  await expect(page.getByTestId("gateway-url")).toHaveText(mcpUrl);
  await page.getByRole("button", { name: "Copy the gateway URL" }).click();
  await expect(page.getByRole("button", { name: "Copy the gateway URL" })).toHaveText("Copied");
  expect(await clipboard(page)).toBe(mcpUrl);

  await page.getByRole("button", { name: "Copy: Claude Code, step 1" }).click();
  expect(await clipboard(page)).toBe(claudeCodeCommand(gatewayEndpoint(stack.appUrl)));
  await expect(page.locator("#scripts").getByRole("link", { name: /Create a personal access token/ })).toHaveAttribute("href", "/tokens");
});

test("[portal] alice picks one backend's URL and gets every client's steps for that backend only", async ({ page }) => {
  await signIn(page, stack, "alice", "/connect");
  await page.getByText(/One backend only/).click();
  const tickets = page.getByTestId("backend-urls").getByRole("listitem").filter({ hasText: "/api/mcp/tickets" });
  await tickets.getByRole("button").click();
  expect(await clipboard(page)).toBe(`${stack.appUrl}/api/mcp/tickets`);
  await tickets.getByRole("link", { name: "Steps for this URL" }).click();
  await expect(page.getByTestId("steps-for-backend")).toContainText("only");
  await expect(page.locator("#claude-code")).toContainText(claudeCodeCommand(gatewayEndpoint(stack.appUrl, "tickets")));
  // A made-up backend falls back to the whole gateway rather than printing a URL that does not work.
  await page.goto(`${stack.appUrl}/connect?backend=not-a-backend`);
  await expect(page.getByTestId("steps-for-backend")).toHaveCount(0);
  await expect(page.locator("#claude-code")).toContainText(claudeCodeCommand(gatewayEndpoint(stack.appUrl)));
});

test("[portal] after alice approves a client, her home lists it and the first-client hint is gone", async ({ page }) => {
  await signIn(page, stack, "alice", "/");
  await connectClient(page, "Home page test client");
  await page.goto(`${stack.appUrl}/`);
  await expect(page.getByTestId("home-clients")).toContainText("Home page test client");
  await expect(page.getByTestId("home-clients")).toContainText("/api/mcp");
  await expect(page.getByTestId("first-time-hint")).toHaveCount(0);
});

test("[portal] on a phone, the menu opens and navigates with the keyboard", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, stack, "admin", "/links");
  await expect(page.getByRole("navigation", { name: "Portal" })).toBeHidden();

  await page.getByRole("link", { name: "Gatehouse", exact: true }).focus();
  await page.keyboard.press("Tab");
  const menuButton = page.getByTestId("nav-menu").locator("summary");
  await expect(menuButton).toBeFocused();
  await page.keyboard.press("Enter");
  const portal = page.getByRole("navigation", { name: "Portal" });
  await expect(portal).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Admin console" }).getByRole("link", { name: "Backends" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(portal).toBeHidden();
  await expect(menuButton).toBeFocused();

  await page.keyboard.press("Space");
  await expect(portal).toBeVisible();
  for (const name of ["Linked accounts", "Connected clients", "Tokens", "Connect a client"]) {
    await page.keyboard.press("Tab");
    await expect(portal.getByRole("link", { name })).toBeFocused();
  }
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(`${stack.appUrl}/connect`);
  await expect(page.getByRole("heading", { name: "Connect a client", level: 1 })).toBeVisible();
  await expect(portal).toBeHidden();
});

test("[portal] no portal page scrolls sideways on a phone or a desktop", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, stack, "alice", "/");
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [name, pagePath] of [
      ["home", "/"],
      ["connect", "/connect"],
      ["links", "/links"],
      ["activity", "/activity"],
    ]) {
      await page.goto(`${stack.appUrl}${pagePath}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${pagePath} at ${width} px`).toBeLessThanOrEqual(0);
      if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
  }
  if (!SHOTS) return;
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${stack.appUrl}/connect`);
  await page.screenshot({ path: path.join(SHOTS, "connect-390-top.png") });
  await page.locator("#scripts").screenshot({ path: path.join(SHOTS, "connect-390-scripts.png") });
  await page.getByTestId("nav-menu").locator("summary").click();
  await page.screenshot({ path: path.join(SHOTS, "menu-open-390.png") });
});
