// Each Playwright worker gets its own Gatehouse (world + app on a fresh embedded database).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { seedStack } from "@/e2e/seed";
import { startStack, type Stack } from "@/e2e/stack";

export const test = base.extend<object, { stack: Stack }>({
  stack: [
    async ({}, use) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "gatehouse-e2e-"));
      const stack = await startStack({ dataDir, seed: seedStack, gitlabAccessTokenTtlSeconds: 7200 });
      await use(stack);
      await stack.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

export { expect };

/** Signs in through the Keycloak-shaped IdP's login page, as a person would. */
export async function signIn(page: Page, stack: Stack, username: string, next = "/links") {
  const user = stack.world.keycloak.users.find((u) => u.username === username);
  if (!user) throw new Error(`no test user ${username}`);
  await page.goto(`${stack.appUrl}/signin?callbackUrl=${encodeURIComponent(next)}`);
  await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.waitForURL((url) => url.toString().startsWith(stack.appUrl));
}

/** At the GitLab stand-in's pages: sign in as `username` (unless GitLab still knows the browser), then Authorize or Deny. */
export async function authorizeAtGitLab(page: Page, stack: Stack, username: string, decision: "Authorize" | "Deny" = "Authorize") {
  const user = stack.world.gitlab.users.find((u) => u.username === username);
  if (!user) throw new Error(`no GitLab test user ${username}`);
  await page.waitForURL((url) => url.origin === new URL(stack.world.gitlab.url).origin);
  const consent = page.getByRole("heading", { name: /Authorize .* to use your account\?/ });
  const signInHeading = page.getByRole("heading", { name: "Sign in to GitLab" });
  await expect(consent.or(signInHeading)).toBeVisible();
  if (await signInHeading.isVisible()) {
    await page.getByLabel("Username or primary email").fill(user.username);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await expect(consent).toBeVisible();
  await page.getByRole("button", { name: decision }).click();
  await page.waitForURL((url) => url.toString().startsWith(stack.appUrl));
}
