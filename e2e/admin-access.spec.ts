import { expect, signIn, test } from "@/e2e/fixtures";

const consolePages = ["/admin/backends", "/admin/providers", "/admin/users", "/admin/audit"];

test("[admin] alice gets the 403 page on every console page", async ({ page, stack }) => {
  await signIn(page, stack, "alice");
  for (const path of consolePages) {
    const res = await page.goto(`${stack.appUrl}${path}`);
    expect(res?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "This page is for Gatehouse admins" })).toBeVisible();
  }
});

test("[admin] admin sees the console", async ({ page, stack }) => {
  await signIn(page, stack, "admin", "/admin");
  await expect(page).toHaveURL(/\/admin\/backends$/);
  await expect(page.getByRole("heading", { name: "Backends", level: 1 })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Admin console" });
  for (const name of ["Backends", "Providers", "Users", "Audit"]) {
    await nav.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  }
});
