// The web side's defences seen from a real browser against the production server (server.ts).
import { readFileSync } from "node:fs";
import { expect, signIn, test } from "@/e2e/fixtures";
import { hostileUpload, peakGrowth, uploadRefused } from "@/testkit/hostile-upload";

const MB = 1024 * 1024;

test("[security] every page carries the security headers, and the portal still hydrates under the CSP", async ({ page, stack }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  // Signing in clicks a client-side button: it works only if the page hydrated.
  await signIn(page, stack, "alice");
  for (const path of ["/links", "/activity", "/signin", "/api/health"]) {
    const res = await page.request.get(`${stack.appUrl}${path}`);
    const h = res.headers();
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect([h["x-frame-options"], h["x-content-type-options"], h["referrer-policy"]], path).toEqual([
      "DENY",
      "nosniff",
      "strict-origin-when-cross-origin",
    ]);
    expect(h["strict-transport-security"], path).toBeUndefined(); // APP_URL is http here
  }
  await page.getByRole("link", { name: "Activity" }).first().click();
  await expect(page).toHaveURL(/\/activity$/);
  expect(violations).toEqual([]);
});

test("[security] a page on another port of the same host cannot make a signed-in admin create a backend", async ({ page, stack }) => {
  await signIn(page, stack, "admin", "/admin/backends");
  // Same site (localhost), other origin: SameSite=Lax sends the session cookie along with its form.
  const attacker = `http://localhost:${Number(new URL(stack.appUrl).port) + 1}`;
  const forged = JSON.stringify({ slug: "forged", displayName: "Forged", url: "https://evil.example/mcp", auth: { mode: "none" } });
  const [name, value] = [forged.slice(0, -1) + ',"pad":"', '"}'];
  await page.route(`${attacker}/**`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form method="POST" action="${stack.appUrl}/api/admin/backends" enctype="text/plain">
        <input type="hidden" name='${name}' value='${value}'></form>
        <script>fetch(${JSON.stringify(`${stack.appUrl}/api/admin/backends`)}, { method: "POST", mode: "no-cors", credentials: "include",
          headers: { "content-type": "text/plain" }, body: ${JSON.stringify(forged.replace('"forged"', '"forged-fetch"'))} })
          .finally(() => document.forms[0].submit());</script>`,
    }),
  );
  const answered = page.waitForResponse(
    (res) =>
      res.url() === `${stack.appUrl}/api/admin/backends` &&
      res.request().method() === "POST" &&
      res.request().resourceType() === "document",
  );
  await page.goto(`${attacker}/attack`);
  const res = await answered;
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain(`cross-site request refused: Origin ${attacker} is not this app's origin`);

  const { backends } = (await (await page.request.get(`${stack.appUrl}/api/admin/backends`)).json()) as { backends: { slug: string }[] };
  expect(backends.map((b) => b.slug)).not.toContain("forged");
  expect(backends.map((b) => b.slug)).not.toContain("forged-fetch");
});

test("[security] a 300 MB upload to the sign-in callback and to /api/mcp is cut off while the server's memory stays put", async ({
  stack,
}) => {
  // The app is a child process: its resident memory, as the kernel counts it.
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${stack.app.pid}/status`, "utf8"))![1]) * 1024;
  // Signed in at /api/mcp, so the gateway gets as far as reading the body.
  const alice = stack.world.keycloak.users.find((u) => u.username === "alice")!;
  const { access_token } = await stack.world.keycloak.passwordGrant({
    username: "alice",
    password: alice.password,
    clientId: stack.world.gatehouseClient.clientId,
  });
  const uploads: [string, Record<string, string>][] = [
    ["/api/auth/callback/keycloak", {}],
    ["/api/mcp", { authorization: `Bearer ${access_token}`, accept: "application/json, text/event-stream" }],
  ];
  for (const [path, headers] of uploads) {
    // A small body first, so the first use of each path (code loading, the gateway's backend list)
    // is not counted as the upload's memory.
    await hostileUpload(`${stack.appUrl}${path}`, 64 * 1024, { headers });
    const { result, growth } = await peakGrowth(rss, () => hostileUpload(`${stack.appUrl}${path}`, 300 * MB, { headers }));
    expect(uploadRefused(result), `${path}: ${JSON.stringify(result)}`).toBe(true);
    expect(result.sent, path).toBeLessThan(300 * MB);
    expect(growth, path).toBeLessThan(50 * MB);
  }
});
