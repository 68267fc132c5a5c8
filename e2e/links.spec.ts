// Linked accounts in the browser, against the GitLab stand-in's own sign-in and Authorize pages.
// This file runs its own Gatehouse: its last test stops the app to read the token vault directly.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Page } from "@playwright/test";
import { authorizeAtGitLab, expect, signIn, test } from "@/e2e/fixtures";
import { seedStack } from "@/e2e/seed";
import { startStack, stopProcess, type Stack } from "@/e2e/stack";

test.describe.configure({ mode: "serial" });

let stack: Stack;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  stack = await startStack({ dataDir: mkdtempSync(path.join(tmpdir(), "gatehouse-links-e2e-")), seed: seedStack });
});
test.afterAll(async () => {
  await stack?.stop();
});

const gitlabCard = (page: Page) => page.getByTestId("provider-gitlab");

test('[portal] alice links GitLab in the browser and sees "linked as alice"; bob never sees it', async ({ page, browser }) => {
  await signIn(page, stack, "alice");
  await expect(gitlabCard(page).getByTestId("link-status")).toHaveText("Not linked");
  await gitlabCard(page).getByRole("link", { name: "Link GitLab" }).click();
  await authorizeAtGitLab(page, stack, "alice");

  await expect(page).toHaveURL(`${stack.appUrl}/links`);
  await expect(gitlabCard(page).getByTestId("link-status")).toHaveText("Linked as alice");
  await expect(gitlabCard(page)).toContainText("mcp read_user");
  await expect(gitlabCard(page)).toContainText("Token expires");
  expect(await page.content()).not.toMatch(/v1\.k1\./); // no ciphertext (or token) in the page

  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  await signIn(bobPage, stack, "bob");
  await expect(gitlabCard(bobPage).getByTestId("link-status")).toHaveText("Not linked");
  await expect(bobPage.getByText("alice")).toHaveCount(0);
  await bobPage.goto(`${stack.appUrl}/activity`);
  await expect(bobPage.getByTestId("audit-table").getByText("link", { exact: true })).toHaveCount(0);
  await bobContext.close();

  await page.goto(`${stack.appUrl}/activity`);
  await expect(page.getByTestId("audit-table").getByText("link", { exact: true }).first()).toBeVisible();
});

test("[portal] alice unlinks GitLab: she confirms, and GitLab confirms the revocation", async ({ page }) => {
  await signIn(page, stack, "alice");
  const revocations = stack.world.gitlab.counters.revocations;
  await gitlabCard(page).getByRole("button", { name: "Unlink" }).click();
  await expect(gitlabCard(page)).toContainText("Unlink GitLab?");
  await gitlabCard(page).getByRole("button", { name: "Yes, unlink" }).click();

  await expect(gitlabCard(page).getByTestId("unlink-outcome")).toContainText("GitLab confirmed that Gatehouse's access was revoked");
  await expect(gitlabCard(page).getByTestId("link-status")).toHaveText("Not linked");
  expect(stack.world.gitlab.counters.revocations).toBeGreaterThan(revocations);
});

test("[portal] alice completes a link an AI client asked for, after first declining it", async ({ page }) => {
  await signIn(page, stack, "alice", "/links/gitlab");
  await expect(page.getByRole("heading", { name: "Link your GitLab account" })).toBeVisible();
  await page.getByRole("link", { name: "Link GitLab" }).click();
  await authorizeAtGitLab(page, stack, "alice", "Deny");
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    "GitLab did not authorize the link: you (or GitLab) declined the authorization",
  );

  await page.getByRole("link", { name: "Link GitLab" }).click();
  await authorizeAtGitLab(page, stack, "alice");
  await expect(page.getByTestId("link-done")).toContainText("Linked as alice.");
  await expect(page.getByTestId("link-done")).toContainText("You can return to your AI client now");
});

test("[portal] a link page made for another user refuses bob", async ({ page }) => {
  await signIn(page, stack, "bob", "/links/gitlab?user=00000000-0000-0000-0000-000000000000");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("requested for a different Gatehouse account");
  await expect(page.getByRole("link", { name: "Link GitLab" })).toHaveCount(0);
});

test("[vault] GitLab's MCP server accepts alice's stored token and answers as alice; unlink revokes it", async () => {
  // The app's embedded database is single-process: stop the app, then use the token broker here.
  await stopProcess(stack.app);
  const { setEnvForTests } = await import("@/lib/env");
  setEnvForTests(stack.appEnv);
  const { getDb, closeDb } = await import("@/lib/db");
  const { getAccessToken, unlinkAccount } = await import("@/lib/links");
  const { flushAudit } = await import("@/lib/audit/record-audit");
  try {
    const alice = await getDb().user.findFirstOrThrow({ where: { username: "alice" }, select: { id: true } });
    const gitlab = await getDb().provider.findUniqueOrThrow({ where: { slug: "gitlab" }, select: { id: true } });
    const { accessToken } = await getAccessToken({ userId: alice.id, providerId: gitlab.id });

    const client = new Client({ name: "links-e2e", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(stack.world.gitlab.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
      }),
    );
    const result = await client.callTool({ name: "get_current_user", arguments: {} });
    await client.close();
    const [content] = result.content as { type: string; text: string }[];
    expect(JSON.parse(content!.text)).toMatchObject({ id: 101, username: "alice" });

    expect(await stack.world.gitlab.isTokenActive(accessToken)).toBe(true);
    expect(await unlinkAccount({ userId: alice.id, providerId: gitlab.id, actor: { userId: alice.id } })).toEqual({ revoked: true });
    expect(await stack.world.gitlab.isTokenActive(accessToken)).toBe(false);
  } finally {
    await flushAudit();
    await closeDb();
  }
});
