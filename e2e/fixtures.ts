// Each Playwright worker gets its own Gatehouse (world + app on a fresh embedded database).
import { test as base, expect, type Page } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startStack, type Stack } from "./stack";
import { seedStack } from "./seed";

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
