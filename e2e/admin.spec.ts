// The admin console and REST API against a running Gatehouse: configuring backends of every
// outgoing auth mode and a provider, and the guarantees around them (write-only secrets, admins only).
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "@/e2e/fixtures";
import { findAdminRouteFiles } from "@/lib/openapi/admin-routes";

const fresh = (prefix: string) => `${prefix}-${randomBytes(8).toString("hex")}`;

/** Every response body the browser receives, so a test can show a secret never came back. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", (res) => {
    void res.text().then(
      (t) => bodies.push(t),
      () => undefined,
    );
  });
  return bodies;
}

async function createBackend(
  page: Page,
  appUrl: string,
  b: { slug: string; url: string; mode: string; fields?: Record<string, string>; provider?: string },
) {
  await page.goto(`${appUrl}/admin/backends/new`);
  await page.getByLabel("Display name").fill(`Backend ${b.slug}`);
  await page.getByLabel("Slug").fill(b.slug);
  await page.getByLabel("MCP endpoint URL").fill(b.url);
  await page.getByLabel("Mode").selectOption(b.mode);
  for (const [label, value] of Object.entries(b.fields ?? {})) await page.getByLabel(label, { exact: true }).fill(value);
  if (b.provider) await page.getByLabel("Provider").selectOption({ label: b.provider });
  await page.getByRole("button", { name: "Create backend" }).click();
  await expect(page.getByText("Backend created.")).toBeVisible();
  return page.url().replace(/\?.*$/, "");
}

test("[admin] admin configures a backend of each mode and a provider; no secret comes back anywhere", async ({ page, stack }) => {
  // One long scenario (about 60 page loads): on a busy 2-core CI machine it needs more than the default minute.
  test.slow();
  const { world, appUrl } = stack;
  const secrets = {
    provider: fresh("gl-secret"),
    cc: fresh("cc-secret"),
    ccReplaced: fresh("cc-new"),
    static: world.staticKey.apiKey,
    exchange: world.gatehouseClient.clientSecret,
  };
  const bodies = recordResponses(page);
  await signIn(page, stack, "admin", "/admin/backends");

  // A provider from the GitLab preset, with the redirect URI to register shown as the slug is typed.
  await page.goto(`${appUrl}/admin/providers`);
  await page.getByRole("link", { name: "GitLab (self-managed or gitlab.com)" }).click();
  await page.getByLabel("Display name").fill("GitLab Two");
  await page.getByLabel("Slug").fill("gitlab-two");
  await expect(page.getByTestId("redirect-uri")).toHaveText(`${appUrl}/api/links/gitlab-two/callback`);
  await page.getByLabel("GitLab URL").fill(world.gitlab.url);
  await page.getByLabel("Client id").fill(world.gitlabApp.clientId);
  await page.getByLabel("Client secret").fill(secrets.provider);
  await page.getByRole("button", { name: "Create provider" }).click();
  await expect(page.getByText("Provider created.")).toBeVisible();
  await expect(page.getByTestId("clientSecret-set")).toContainText("Set on");
  const providerUrl = page.url().replace(/\?.*$/, "");

  // A missing mode field is named next to its input, and nothing is created.
  await page.goto(`${appUrl}/admin/backends/new`);
  await page.getByLabel("Display name").fill("Broken");
  await page.getByLabel("Slug").fill("broken");
  await page.getByLabel("MCP endpoint URL").fill("ftp://nope");
  await page.getByLabel("Mode").selectOption("static_header");
  await page.getByRole("button", { name: "Create backend" }).click();
  await expect(page.getByTestId("error-auth.value")).toHaveText("is required");
  await expect(page.getByTestId("error-auth.headerName")).toHaveText("is required");
  await expect(page.getByTestId("error-url")).toHaveText("must be an http:// or https:// URL");
  await expect(page.getByLabel("Slug")).toHaveValue("broken");

  const none = await createBackend(page, appUrl, { slug: "open-two", url: world.backends.open.url, mode: "none" });
  const staticB = await createBackend(page, appUrl, {
    slug: "search-two",
    url: world.backends.static.url,
    mode: "static_header",
    fields: { "Header name": world.staticKey.headerName, "Header value": secrets.static },
  });
  await expect(page.getByTestId("auth.value-set")).toContainText("Set on");
  const exchange = await createBackend(page, appUrl, {
    slug: "tickets-two",
    url: world.backends.exchange.url,
    mode: "token_exchange",
    fields: { "Client id": world.gatehouseClient.clientId, "Client secret": secrets.exchange, Audience: world.exchangeAudience },
  });
  const linked = await createBackend(page, appUrl, {
    slug: "gitlab-two",
    url: world.gitlab.mcpUrl,
    mode: "linked_account",
    provider: "GitLab Two (gitlab-two)",
  });
  const cc = await createBackend(page, appUrl, {
    slug: "service-two",
    url: world.backends.open.url,
    mode: "client_credentials",
    fields: { "Token endpoint": world.keycloak.tokenEndpoint, "Client id": "gatehouse", "Client secret": secrets.cc },
  });

  // Test connection uses the stored key; an edit that leaves the secret alone keeps it.
  await page.goto(staticB);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("test-result")).toContainText("Connected: 4 tools (whoami, echo, add, sleep).");
  await page.getByLabel("Display name").fill("Search, edited");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Search, edited" })).toBeVisible();
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("test-result")).toContainText("Connected: 4 tools");

  // Without the admin's own Keycloak token a token-exchange backend is only checked for reachability.
  await page.goto(exchange);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("test-result")).toContainText("can only be tested with the admin's own token");

  // Replace a secret.
  await page.goto(cc);
  await page.getByRole("button", { name: "Replace" }).click();
  await page.getByLabel("Client secret").fill(secrets.ccReplaced);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();

  // Disable a backend and the provider; the list shows it.
  await page.goto(none);
  await page.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();
  await page.goto(`${appUrl}/admin/backends`);
  await expect(page.getByTestId("backend-open-two")).toContainText("Disabled");
  await expect(page.getByTestId("backend-search-two")).toContainText("OK");
  await page.goto(providerUrl);
  await page.getByLabel("Display name").fill("GitLab Two, edited");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await page.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();

  // Every page and API answer seen so far, and each read again raw, carries no secret.
  const pages = ["/admin/backends", "/admin/providers", "/admin/audit", "/admin/users", none, staticB, exchange, linked, cc, providerUrl];
  const apis = ["/api/admin/backends", "/api/admin/providers", "/api/admin/audit?take=500", "/api/admin/audit.csv", "/api/admin/users"];
  for (const url of [...pages, ...apis, ...[staticB, exchange, cc].map((u) => u.replace("/admin/", "/api/admin/"))]) {
    const res = await page.request.get(url.startsWith("http") ? url : `${appUrl}${url}`);
    expect(res.status(), url).toBe(200);
    bodies.push(await res.text());
  }
  const seen = bodies.join("\n");
  expect(seen).toContain("search-two");
  for (const [name, secret] of Object.entries(secrets)) expect(seen.includes(secret), `${name} secret found in a response`).toBe(false);

  // The provider cannot go while a backend uses it; after that backend is deleted, it can.
  await page.goto(providerUrl);
  await page.getByRole("button", { name: "Delete provider" }).click();
  await page.getByRole("button", { name: "Delete gitlab-two" }).click();
  await expect(page.getByText("still used by these backends: gitlab-two")).toBeVisible();
  const created: [string, string][] = [
    [linked, "gitlab-two"],
    [none, "open-two"],
    [staticB, "search-two"],
    [exchange, "tickets-two"],
    [cc, "service-two"],
  ];
  for (const [url, slug] of created) {
    await page.goto(url);
    await page.getByRole("button", { name: "Delete backend" }).click();
    await page.getByRole("button", { name: `Delete ${slug}` }).click();
    await expect(page.getByText(`Deleted backend ${slug}.`)).toBeVisible();
  }
  await page.goto(providerUrl);
  await page.getByRole("button", { name: "Delete provider" }).click();
  await page.getByRole("button", { name: "Delete gitlab-two" }).click();
  await expect(page.getByText("Provider deleted.")).toBeVisible();
  await expect(page.getByTestId("provider-gitlab-two")).toHaveCount(0);

  // The audit log has each change by admin, and the CSV export link works with the same filters.
  await page.goto(`${appUrl}/admin/audit?action=admin.backend.delete`);
  await expect(page.getByTestId("audit-table").locator("tbody tr")).toHaveCount(5);
  const csv = await page.request.get(`${appUrl}${await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")}`);
  expect((await csv.text()).trim().split("\r\n")).toHaveLength(6);
});

test("[admin] alice gets 403 on every admin page and endpoint; nobody signed in gets 401", async ({ page, stack, playwright }) => {
  const { appUrl } = stack;
  const admin = await stack.world.keycloak.passwordGrant({
    username: "admin",
    password: "admin-password",
    clientId: stack.world.gatehouseClient.clientId,
  });
  const backends = (
    await (await fetch(`${appUrl}/api/admin/backends`, { headers: { authorization: `Bearer ${admin.access_token}` } })).json()
  ).backends as { id: string }[];
  const providers = (
    await (await fetch(`${appUrl}/api/admin/providers`, { headers: { authorization: `Bearer ${admin.access_token}` } })).json()
  ).providers as { id: string }[];
  const id = backends[0]!.id;

  await signIn(page, stack, "alice");
  const pages = [
    "/admin",
    "/admin/backends",
    "/admin/backends/new",
    `/admin/backends/${id}`,
    "/admin/providers",
    "/admin/providers/new?kind=github",
    `/admin/providers/${providers[0]!.id}`,
    "/admin/users",
    "/admin/clients",
    "/admin/audit",
  ];
  for (const path of pages) {
    const res = await page.goto(`${appUrl}${path}`);
    expect(res?.status(), path).toBe(403);
  }

  const anonymous = await playwright.request.newContext();
  const aliceToken = (
    await stack.world.keycloak.passwordGrant({
      username: "alice",
      password: "alice-password",
      clientId: stack.world.gatehouseClient.clientId,
    })
  ).access_token;
  for (const route of findAdminRouteFiles()) {
    const url = `${appUrl}${route.path.replace("{id}", id).replace("{providerId}", providers[0]!.id)}`;
    for (const method of route.methods) {
      const data = method === "GET" ? undefined : {};
      expect((await page.request.fetch(url, { method, data })).status(), `${method} ${route.path} as alice (session)`).toBe(403);
      expect(
        (await anonymous.fetch(url, { method, data, headers: { authorization: `Bearer ${aliceToken}` } })).status(),
        `${method} ${route.path} as alice (token)`,
      ).toBe(403);
      expect((await anonymous.fetch(url, { method, data })).status(), `${method} ${route.path} signed out`).toBe(401);
    }
  }
  await anonymous.dispose();
  // Nothing alice tried changed anything.
  const after = (await (await fetch(`${appUrl}/api/admin/backends`, { headers: { authorization: `Bearer ${admin.access_token}` } })).json())
    .backends;
  expect(after).toHaveLength(backends.length);
});

test("[admin] admin sees a registered MCP client and disables, then enables it", async ({ page, stack }) => {
  const { appUrl } = stack;
  const name = fresh("Console client");
  const reg = await fetch(`${appUrl}/oauth/reg`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: name, redirect_uris: ["http://127.0.0.1:9/callback"], token_endpoint_auth_method: "none" }),
  });
  expect(reg.status).toBe(201);
  const { client_id } = (await reg.json()) as { client_id: string };

  await signIn(page, stack, "admin", "/admin/clients");
  const row = page.getByTestId(`client-${client_id}`);
  await expect(row).toContainText(name);
  await expect(row).toContainText("127.0.0.1:9");
  await expect(row.getByTestId("client-status")).toHaveText("enabled");
  await row.getByRole("button", { name: "Disable", exact: true }).click();
  await row.getByRole("button", { name: "Disable client" }).click();
  await expect(row.getByTestId("client-status")).toContainText("disabled");
  // A disabled client is refused at the authorization endpoint.
  const authorize = new URL(`${appUrl}/oauth/authorize`);
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id,
    redirect_uri: "http://127.0.0.1:9/callback",
    scope: "mcp",
    code_challenge: "a".repeat(43),
    code_challenge_method: "S256",
  }))
    authorize.searchParams.set(k, v);
  expect(await (await fetch(authorize, { redirect: "manual" })).text()).toMatch(/invalid_client/);

  await row.getByRole("button", { name: "Enable" }).click();
  await expect(row.getByTestId("client-status")).toHaveText("enabled");
});
