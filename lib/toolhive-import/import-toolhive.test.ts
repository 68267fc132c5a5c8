import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyConfig } from "@/lib/config-as-code/apply-config";
import { getDb } from "@/lib/db";
import { storeLink } from "@/lib/links/store-link";
import { importToolhive } from "@/lib/toolhive-import/import-toolhive";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

const LEGACY_HOST = "http://mcp-legacy-mcp-proxy.tools.svc.cluster.local:8080";
let stack: GatewayTestStack;

beforeAll(async () => {
  stack = await startGatewayTestStack({ env: { OUTBOUND_ALLOWED_HOSTS: LEGACY_HOST } });
}, 180_000);
afterAll(async () => stack?.close());

/** A fixture with the test world's addresses filled in. */
function fixture(name: string) {
  const w = stack.world;
  const values: Record<string, string> = {
    KEYCLOAK_ISSUER: w.keycloak.issuer,
    KEYCLOAK_TOKEN_URL: w.keycloak.tokenEndpoint,
    EXCHANGE_CLIENT_ID: w.gatehouseClient.clientId,
    EXCHANGE_AUDIENCE: w.exchangeAudience,
    GITLAB_URL: w.gitlab.url,
    GITLAB_CLIENT_ID: w.gitlabApp.clientId,
    GITLAB_MCP_URL: w.gitlab.mcpUrl,
    TICKETS_URL: w.backends.exchange.url,
    SEARCH_URL: w.backends.static.url,
    SEARCH_HEADER: w.staticKey.headerName,
    UTILS_URL: w.backends.open.url,
  };
  const text = readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8").replace(/\$\{(\w+)\}/g, (_, k: string) => values[k]!);
  return { name, text };
}

const secrets = () => ({
  environment: {
    GITLAB_OAUTH_CLIENT_SECRET: stack.world.gitlabApp.clientSecret,
    KEYCLOAK_EXCHANGE_CLIENT_SECRET: stack.world.gatehouseClient.clientSecret,
    SEARCH_API_KEY: stack.world.staticKey.apiKey,
  },
});

async function linkCorpGitLab(user: "alice") {
  const provider = await getDb().provider.findUniqueOrThrow({ where: { slug: "corp-gitlab" }, select: { id: true } });
  const tokens = await stack.world.gitlab.issueTokens({
    username: user,
    clientId: stack.world.gitlabApp.clientId,
    scopes: ["mcp", "read_user"],
  });
  const account = stack.world.gitlab.users.find((u) => u.username === user)!;
  const result = await storeLink({
    userId: await stack.userIdOf(user),
    providerId: provider.id,
    providerSlug: "corp-gitlab",
    externalId: String(account.id),
    externalName: account.username,
    scopes: tokens.scope.split(" "),
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: new Date(Date.now() + tokens.expires_in * 1000),
  });
  if (!result.ok) throw new Error(result.reason);
}

const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

describe("importing a ToolHive vMCP setup", () => {
  it("an admin imports the v1alpha1 resources and the gateway lists and calls every backend's tools", async () => {
    const imported = importToolhive([fixture("vmcp-v1alpha1.yaml")]);
    expect(imported.config).toMatchObject({
      providers: [
        { slug: "corp-gitlab", kind: "gitlab", baseUrl: stack.world.gitlab.url, clientSecret: { env: "GITLAB_OAUTH_CLIENT_SECRET" } },
      ],
      backends: [
        { slug: "gitlab-mcp", auth: { mode: "linked_account", provider: "corp-gitlab" } },
        { slug: "tickets-mcp", timeoutMs: 45000, auth: { mode: "token_exchange", audience: stack.world.exchangeAudience } },
        { slug: "search-mcp", toolAllow: ["whoami", "echo"], auth: { mode: "static_header", value: { env: "SEARCH_API_KEY" } } },
        { slug: "utils-mcp", auth: { mode: "none" } },
      ],
    });
    expect(imported.unmapped).toEqual([expect.stringContaining("MCPServer fetch: not in group engineering")]);
    expect(imported.notes).toContainEqual(expect.stringContaining(`set KEYCLOAK_ISSUER=${stack.world.keycloak.issuer}`));

    const plan = await applyConfig(imported.yaml, { sources: secrets() });
    expect(plan.backends.map((b) => b.slug)).toEqual(["gitlab-mcp", "tickets-mcp", "search-mcp", "utils-mcp"]);
    await linkCorpGitLab("alice");

    const client = await stack.connect("alice");
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(
        expect.arrayContaining(["gitlab-mcp_get_current_user", "tickets-mcp_whoami", "search-mcp_whoami", "utils-mcp_echo"]),
      );
      expect(names.filter((n) => n.startsWith("search-mcp_")).sort()).toEqual(["search-mcp_echo", "search-mcp_whoami"]);
      // Each backend sees the credential its ToolHive auth config described.
      expect(text(await client.callTool({ name: "gitlab-mcp_get_current_user" }))).toContain("alice");
      expect(text(await client.callTool({ name: "tickets-mcp_whoami" }))).toContain(stack.world.exchangeAudience);
      expect(text(await client.callTool({ name: "search-mcp_whoami" }))).toBe("service-account");
      expect(text(await client.callTool({ name: "utils-mcp_echo", arguments: { text: "hi" } }))).toContain("hi");
    } finally {
      await client.close();
    }
  });

  it("an admin imports the v1beta1 resources: what has no equivalent is listed with the reason", async () => {
    const imported = importToolhive([fixture("vmcp-v1beta1.yaml")]);
    const reasons = imported.unmapped.join("\n");
    expect(reasons).toContain("pass_through forwards the client's token unchanged");
    expect(reasons).toContain('conflict resolution "priority"');
    expect(reasons).toContain("Cedar authorization policies have no equivalent");
    expect(imported.config).toMatchObject({
      backends: expect.arrayContaining([
        expect.objectContaining({ slug: "legacy-mcp", url: `${LEGACY_HOST}/mcp`, enabled: false, auth: { mode: "none" } }),
        expect.objectContaining({ slug: "tickets-mcp", toolPrefix: "", auth: expect.objectContaining({ mode: "token_exchange" }) }),
      ]),
    });

    await applyConfig(imported.yaml, { sources: secrets() });
    const client = await stack.connect("alice");
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      // Priority: unprefixed names; a clash goes to the first backend by slug that has the tool.
      expect(names).toEqual(expect.arrayContaining(["get_current_user", "whoami", "echo"]));
      expect(text(await client.callTool({ name: "get_current_user" }))).toContain("alice");
      expect(text(await client.callTool({ name: "whoami" }))).toBe("service-account");
    } finally {
      await client.close();
    }
  });

  it("a file that is not a ToolHive vMCP setup is refused", () => {
    expect(() => importToolhive([{ name: "x.yaml", text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" }])).toThrow(
      "no VirtualMCPServer in the files",
    );
  });
});
