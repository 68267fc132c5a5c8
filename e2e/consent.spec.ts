// The consent page in the browser, with a real MCP SDK client signing in through Gatehouse's own
// authorization server (401 → discovery → registration → authorize → consent → token): linking GitLab
// from the consent page, or later when the client first needs it; Deny; remembered consent; a new
// endpoint asked again; and the whole page by keyboard. This file runs its own Gatehouse, so alice
// and bob start with no GitLab link whatever other files do.
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError, type ElicitRequestURLParams } from "@modelcontextprotocol/sdk/types.js";
import type { Page } from "@playwright/test";
import { authorizeAtGitLab, expect, test } from "@/e2e/fixtures";
import { seedStack } from "@/e2e/seed";
import { startStack, type Stack } from "@/e2e/stack";
import { TestOAuthClient } from "@/testkit/oauth-client";

/**
 * The MCP SDK client's OAuth state (testkit/oauth-client.ts), listening on a real loopback port as a
 * desktop client does (the shared one names port 9, which Chromium refuses to open).
 */
class LoopbackOAuthClient extends TestOAuthClient {
  constructor(extra: ConstructorParameters<typeof TestOAuthClient>[0]) {
    super(extra);
    Object.defineProperty(this, "redirectUrl", { get: () => callbackUrl });
  }
}

// Generous limits: these machines are shared, and one test walks several sign-ins.
test.describe.configure({ mode: "serial", timeout: 180_000 });

let stack: Stack;
let listener: Server;
let callbackUrl = "";
test.beforeAll(async () => {
  test.setTimeout(300_000);
  listener = createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("The client got its answer."));
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  callbackUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/callback`;
  stack = await startStack({ dataDir: mkdtempSync(path.join(tmpdir(), "gatehouse-consent-e2e-")), seed: seedStack });
});
test.afterAll(async () => {
  await stack?.stop();
  listener?.close();
});

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;
const consentHeading = (page: Page, name: string) => page.getByRole("heading", { name: `Allow ${name} to use Gatehouse as you?` });

/** The SDK client tries the endpoint, gets 401, discovers and registers, and wants the browser opened at this URL. */
async function clientWantsSignIn(oauth: TestOAuthClient, endpoint = stack.mcpUrl) {
  oauth.saved = undefined;
  oauth.authorizationUrl = undefined;
  const transport = new StreamableHTTPClientTransport(new URL(endpoint), { authProvider: oauth });
  await expect(new Client({ name: "consent-e2e", version: "1.0.0" }).connect(transport)).rejects.toThrow(UnauthorizedError);
  expect(oauth.authorizationUrl).toBeDefined();
  return { transport, url: oauth.authorizationUrl!.toString() };
}

/** Opens the authorization URL in the browser, signing in with Keycloak when the portal asks. */
async function openInBrowser(page: Page, url: string, username?: string) {
  await page.goto(url);
  if (username) {
    await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(`${username}-password`);
    await page.getByRole("button", { name: /sign in/i }).click();
  }
}

/** The answer the client's redirect URI received. */
async function answer(page: Page): Promise<URLSearchParams> {
  await page.waitForURL((u) => u.toString().startsWith(callbackUrl));
  return new URL(page.url()).searchParams;
}

/** The client finishes its sign-in with the code and connects, declaring URL elicitation. */
async function connected(oauth: TestOAuthClient, transport: StreamableHTTPClientTransport, code: string, endpoint = stack.mcpUrl) {
  await transport.finishAuth(code);
  const client = new Client({ name: "consent-e2e", version: "1.0.0" }, { capabilities: { elicitation: { url: {} } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(endpoint), { authProvider: oauth }));
  return client;
}

async function callError(client: Client, name: string): Promise<McpError> {
  const error = await client.callTool({ name }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

async function shot(page: Page, name: string) {
  // Screenshots for a person to look at, only when asked for (never part of the repository).
  const dir = process.env.CONSENT_SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const [label, width] of [
    ["desktop", 1280],
    ["phone", 390],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(dir, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

const alicesClient = new LoopbackOAuthClient({ client_name: "Alice's Agent", client_uri: "https://agent.example.com/about" });

test("[consent] alice links GitLab from the consent page, approves, and her client calls GitLab as her at once", async ({ page }) => {
  const { transport, url } = await clientWantsSignIn(alicesClient);
  await openInBrowser(page, url, "alice");
  await expect(consentHeading(page, "Alice's Agent")).toBeVisible();
  await expect(page.getByTestId("consent-redirect-host")).toHaveText(new URL(callbackUrl).host);
  await expect(page.getByTestId("consent-resource")).toContainText(stack.mcpUrl);
  await expect(page.getByTestId("consent-home-page")).toHaveText("agent.example.com");
  const warnings = page.getByTestId("consent-warnings");
  await expect(warnings).toContainText("Nobody at this Gatehouse has approved this client before");
  await expect(warnings).toContainText(`a program on your computer (${new URL(callbackUrl).host})`);
  await expect(page.getByTestId("consent-backend-tickets").getByTestId("link-status")).toHaveText("No link needed");
  const gitlab = page.getByTestId("consent-backend-gitlab");
  await expect(gitlab.getByTestId("link-status")).toHaveText("Not linked");
  await shot(page, "consent-unlinked");

  const consentUrl = page.url();
  await gitlab.getByRole("link", { name: "Link now" }).click();
  await authorizeAtGitLab(page, stack, "alice");
  // Back on the same consent page, GitLab now linked.
  expect(page.url()).toBe(consentUrl);
  await expect(gitlab.getByTestId("link-status")).toHaveText("Linked");
  await expect(gitlab).toContainText("As your GitLab account alice");
  await expect(gitlab.getByRole("link", { name: "Link now" })).toHaveCount(0);
  await shot(page, "consent-linked");

  await page.getByRole("button", { name: "Approve" }).click();
  const back = await answer(page);
  expect(back.get("iss")).toBe(stack.appUrl);
  const client = await connected(alicesClient, transport, back.get("code")!);
  try {
    expect(JSON.parse(text(await client.callTool({ name: "gitlab_get_current_user" })))).toMatchObject({ id: 101, username: "alice" });
  } finally {
    await client.close();
  }
});

test("[consent] alice's client signs in again from a fresh browser: Keycloak sign-in, then no question", async ({ page }) => {
  const { transport, url } = await clientWantsSignIn(alicesClient);
  const consentShown: string[] = [];
  page.on("response", (res) => {
    if (/\/oauth\/interaction\/[^/]+$/.test(new URL(res.url()).pathname) && res.status() === 200) consentShown.push(res.url());
  });
  await openInBrowser(page, url, "alice");
  const back = await answer(page);
  expect(consentShown).toEqual([]);
  const client = await connected(alicesClient, transport, back.get("code")!);
  expect(JSON.parse(text(await client.callTool({ name: "gitlab_get_current_user" })))).toMatchObject({ username: "alice" });
  await client.close();
});

test("[consent] alice's client asks for the GitLab endpoint as well: she is asked again, for that endpoint", async ({ page }) => {
  const endpoint = `${stack.mcpUrl}/gitlab`;
  const { transport, url } = await clientWantsSignIn(alicesClient, endpoint);
  await openInBrowser(page, url, "alice");
  await expect(consentHeading(page, "Alice's Agent")).toBeVisible();
  await expect(page.getByTestId("consent-resource")).toContainText(endpoint);
  await expect(page.getByTestId("consent-asks-more")).toContainText(`You approved this client before for ${stack.mcpUrl}`);
  // Only the one backend of that endpoint, and no first-time warning: alice approved this client.
  await expect(page.getByTestId("consent-backends").getByRole("listitem")).toHaveCount(1);
  await expect(page.getByTestId("consent-warnings")).not.toContainText("Nobody at this Gatehouse");
  await page.getByRole("button", { name: "Approve" }).click();
  const client = await connected(alicesClient, transport, (await answer(page)).get("code")!, endpoint);
  expect(JSON.parse(text(await client.callTool({ name: "get_current_user" })))).toMatchObject({ username: "alice" });
  await client.close();
});

test('[consent] bob chooses "Later": his client gets the tools, and GitLab asks him to link until he does', async ({ page }) => {
  const bobsClient = new LoopbackOAuthClient({ client_name: "Bob's Agent" });
  const { transport, url } = await clientWantsSignIn(bobsClient);
  await openInBrowser(page, url, "bob");
  const gitlab = page.getByTestId("consent-backend-gitlab");
  await expect(gitlab.getByTestId("link-status")).toHaveText("Not linked");
  await gitlab.getByRole("button", { name: "Later" }).click();
  await expect(gitlab.getByRole("status")).toContainText("it will ask you to link GitLab");
  await page.getByRole("button", { name: "Approve" }).click();
  const client = await connected(bobsClient, transport, (await answer(page)).get("code")!);
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(["tickets_whoami", "utils_whoami"]));
    expect(JSON.parse(text(await client.callTool({ name: "tickets_whoami" })))).toMatchObject({ preferred_username: "bob" });
    const missing = await callError(client, "gitlab_get_current_user");
    expect(missing.code).toBe(-32042);
    const [elicitation] = (missing.data as { elicitations: ElicitRequestURLParams[] }).elicitations;
    // Still not linked: asked again.
    expect((await callError(client, "gitlab_get_current_user")).code).toBe(-32042);

    await page.goto(elicitation!.url);
    await page.getByRole("link", { name: "Link GitLab" }).click();
    await authorizeAtGitLab(page, stack, "bob");
    await expect(page.getByTestId("link-done")).toContainText("Linked as bob.");
    expect(JSON.parse(text(await client.callTool({ name: "gitlab_get_current_user" })))).toMatchObject({ username: "bob" });
  } finally {
    await client.close();
  }
});

test("[consent] alice denies a client: it gets access_denied (with iss) and no code, and can get no token", async ({ page }) => {
  const denied = new LoopbackOAuthClient({ client_name: "Unwanted Agent" });
  await clientWantsSignIn(denied);
  await openInBrowser(page, denied.authorizationUrl!.toString(), "alice");
  await expect(consentHeading(page, "Unwanted Agent")).toBeVisible();
  await page.getByRole("button", { name: "Deny" }).click();
  const back = await answer(page);
  expect(back.get("error")).toBe("access_denied");
  expect(back.get("iss")).toBe(stack.appUrl);
  expect(back.get("code")).toBeNull();
  expect(denied.saved).toBeUndefined();
});

test("[consent] alice walks the consent page by keyboard only: Link now, Later, Approve in order, focus visible", async ({ page }) => {
  const keyboardClient = new LoopbackOAuthClient({ client_name: "Keyboard Agent", client_uri: "https://keyboard.example.com" });
  const { transport, url } = await clientWantsSignIn(keyboardClient);
  // The admin has linked nothing: GitLab offers Link now and Later.
  await openInBrowser(page, url, "admin");
  await expect(consentHeading(page, "Keyboard Agent")).toBeVisible();
  await shot(page, "consent-first-seen");

  const order: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      return {
        tag: el.tagName,
        name: el.textContent?.trim() ?? "",
        outline: style.outlineStyle !== "none" && style.outlineWidth !== "0px",
      };
    });
    if (!focused) break;
    order.push(`${focused.tag}:${focused.name}`);
    // Every stop shows where focus is.
    expect(focused.outline, `focus visible on ${focused.name}`).toBe(true);
    if (focused.name === "Deny") break;
  }
  expect(order).toEqual([
    "BUTTON:Sign out",
    "A:keyboard.example.com",
    "A:Link now GitLab",
    "BUTTON:Later",
    "BUTTON:Approve",
    "BUTTON:Deny",
  ]);

  // Back to Later (Space presses it, focus stays), then forward to Approve and press Enter.
  for (let i = 0; i < 2; i++) await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Space");
  await expect(page.getByRole("button", { name: "Later" })).toBeFocused();
  await expect(page.getByTestId("consent-backend-gitlab").getByRole("status")).toBeVisible();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  const client = await connected(keyboardClient, transport, (await answer(page)).get("code")!);
  expect(JSON.parse(text(await client.callTool({ name: "tickets_whoami" })))).toMatchObject({ preferred_username: "admin" });
  await client.close();
});
