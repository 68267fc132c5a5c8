import { expect, signIn, test } from "@/e2e/fixtures";

test("[portal] alice signs in through Keycloak and sees the portal", async ({ page, stack }) => {
  await signIn(page, stack, "alice");
  await expect(page.getByRole("heading", { name: "Linked accounts" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveText("alice");
  await expect(page.getByRole("navigation", { name: "Portal" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Admin console" })).toHaveCount(0);
});

test("[portal] a visitor who is not signed in is sent to sign in and comes back", async ({ page, stack }) => {
  await page.goto(`${stack.appUrl}/activity`);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Factivity/);
  await expect(page.getByRole("button", { name: "Sign in with Keycloak" })).toBeVisible();
});

test("[portal] alice signs out and is offered Keycloak logout", async ({ page, stack }) => {
  await signIn(page, stack, "alice");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "You are signed out of Gatehouse" })).toBeVisible();
  const href = await page.getByRole("link", { name: "Sign out of Keycloak too" }).getAttribute("href");
  expect(href).toContain(`${stack.world.keycloak.issuer}/protocol/openid-connect/logout`);
  await page.goto(`${stack.appUrl}/links`);
  await expect(page).toHaveURL(/\/signin/);
});
