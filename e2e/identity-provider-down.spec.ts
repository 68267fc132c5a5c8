// Keycloak unreachable while someone signs in to the portal: they land on Gatehouse's sign-in page
// with a message that says what is wrong, not on a browser error. Its own Gatehouse: stopping the
// worker's shared Keycloak would break the specs after it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { seedStack } from "@/e2e/seed";
import { startStack } from "@/e2e/stack";

test("[portal] with Keycloak down, a person signing in is told Keycloak cannot be reached", async ({ page }) => {
  test.setTimeout(180_000);
  const stack = await startStack({ dataDir: mkdtempSync(path.join(tmpdir(), "gatehouse-e2e-")), seed: seedStack });
  try {
    await stack.world.keycloak.close();
    await page.goto(`${stack.appUrl}/signin?callbackUrl=%2Flinks`);
    await page.getByRole("button", { name: "Sign in with Keycloak" }).click();
    await expect(page).toHaveURL(new RegExp(`^${stack.appUrl}/signin`));
    await expect(page.getByRole("alert").filter({ hasText: "Keycloak" })).toHaveText(
      /Could not start sign-in with Keycloak\. Check that Keycloak is reachable/,
    );
  } finally {
    await stack.stop();
  }
});
