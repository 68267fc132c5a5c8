import "@/testkit/preset";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretAad } from "@/lib/backends/auth-config";
import { findBackends } from "@/lib/backends/find-backends";
import { applyConfig } from "@/lib/config-as-code/apply-config";
import { exportConfig } from "@/lib/config-as-code/export-config";
import { formatPlan } from "@/lib/config-as-code/format-plan";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { getPersonalAccessTokensEnabled } from "@/lib/settings/personal-access-tokens-enabled";
import { startTestApp, type TestApp } from "@/testkit/test-app";

let app: TestApp;
let file: string;
let secrets: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp({ appUrl: "http://127.0.0.1:9" });
  const w = app.world;
  secrets = {
    GITLAB_CLIENT_SECRET: w.gitlabApp.clientSecret,
    KEYCLOAK_EXCHANGE_SECRET: w.gatehouseClient.clientSecret,
    SEARCH_API_KEY: w.staticKey.apiKey,
    REPORTS_CLIENT_SECRET: "reports-secret",
  };
  // Written exactly as `gatehouse export` writes it, so apply → export must give it back byte for byte.
  file = `version: 1
providers:
  - slug: gitlab
    kind: gitlab
    displayName: GitLab
    baseUrl: ${w.gitlab.url}
    clientId: ${w.gitlabApp.clientId}
    clientSecret:
      env: GITLAB_CLIENT_SECRET
backends:
  - slug: gitlab
    displayName: GitLab
    url: ${w.gitlab.mcpUrl}
    visibleToGroups:
      - developers
    auth:
      mode: linked_account
      provider: gitlab
  - slug: reports
    displayName: Reports
    url: ${w.backends.exchange.url}
    transport: sse
    timeoutMs: 5000
    auth:
      mode: client_credentials
      tokenEndpoint: ${w.keycloak.tokenEndpoint}
      clientId: reports
      scope: reports.read
      clientSecret:
        file: /run/secrets/reports
  - slug: search
    displayName: Search
    url: ${w.backends.static.url}
    toolDeny:
      - delete_*
    auth:
      mode: static_header
      headerName: ${w.staticKey.headerName}
      value:
        env: SEARCH_API_KEY
  - slug: tickets
    displayName: Tickets
    url: ${w.backends.exchange.url}
    toolPrefix: t_
    toolAllow:
      - whoami
      - list_*
    visibleToRoles:
      - staff
    inboundIssuer: ${w.keycloak.issuer}
    inboundAudience: tickets-direct
    auth:
      mode: token_exchange
      clientId: ${w.gatehouseClient.clientId}
      audience: ${w.exchangeAudience}
      clientSecret:
        env: KEYCLOAK_EXCHANGE_SECRET
  - slug: utils
    displayName: Utilities
    url: ${w.backends.open.url}
    enabled: false
    auth:
      mode: none
`;
}, 180_000);
afterAll(async () => app?.close());

async function getRuntimeBackendSecret(slug: string) {
  const row = await getDb().backend.findUniqueOrThrow({ where: { slug }, select: { id: true, secretEnc: true } });
  return getKeyring().decrypt(row.secretEnc!, secretAad(row.id));
}

const sources = () => ({
  environment: secrets,
  readFile: (path: string) => {
    if (path === "/run/secrets/reports") return "reports-secret\n";
    throw Object.assign(new Error("missing"), { code: "ENOENT" });
  },
});

describe("configuration as code", () => {
  it("an admin applies a file with every outgoing auth mode and exports the same file back", async () => {
    const plan = await applyConfig(file, { sources: sources() });
    expect(plan.providers.map((c) => `${c.action} ${c.slug}`)).toEqual(["create gitlab"]);
    expect(plan.backends.map((c) => `${c.action} ${c.slug}`)).toEqual([
      "create gitlab",
      "create reports",
      "create search",
      "create tickets",
      "create utils",
    ]);
    const backends = await findBackends();
    expect(backends.every((b) => b.managedBy === "file")).toBe(true);
    // Secrets were read from their references and stored encrypted, as the REST API stores them.
    expect(await getRuntimeBackendSecret("search")).toBe(app.world.staticKey.apiKey);
    expect(await getRuntimeBackendSecret("reports")).toBe("reports-secret");

    const exported = await exportConfig();
    expect(exported.yaml).toBe(file);
    expect(exported.notes).toEqual([]);
  });

  it("an admin applies the same file twice: the second apply changes nothing", async () => {
    const again = await applyConfig(file, { sources: sources() });
    expect([...again.providers, ...again.backends]).toEqual([]);
    expect(formatPlan(again)).toBe("no changes");
  });

  it("an admin previews a change with --dry-run: the diff is printed and nothing changes", async () => {
    const edited = file.replace("timeoutMs: 5000", "timeoutMs: 9000");
    const before = (await exportConfig()).yaml;
    const secretsBefore = { ...secrets };
    secrets.SEARCH_API_KEY = "sk-rotated";
    try {
      const plan = await applyConfig(edited, { sources: sources(), dryRun: true });
      expect(formatPlan(plan)).toBe(
        ["~ backend reports", "    timeoutMs: 5000 → 9000", "~ backend search", "    auth.value: (secret) → (new secret)"].join("\n"),
      );
      expect((await exportConfig()).yaml).toBe(before);
      expect(await getRuntimeBackendSecret("search")).toBe(app.world.staticKey.apiKey);
    } finally {
      secrets = secretsBefore;
    }
  });

  it("a file whose secret cannot be read is refused and nothing is written", async () => {
    const withNew = file.replace(
      "backends:\n",
      `backends:\n  - slug: zzz-new\n    displayName: New\n    url: ${app.world.backends.open.url}\n    auth:\n      mode: none\n`,
    );
    const broken = withNew.replace("env: SEARCH_API_KEY", "env: NOT_SET_ANYWHERE");
    await expect(applyConfig(broken, { sources: sources() })).rejects.toThrow(
      "backends[3].auth.value: the environment variable NOT_SET_ANYWHERE is not set",
    );
    expect((await findBackends()).map((b) => b.slug)).not.toContain("zzz-new");
  });

  it("a file that fails halfway through the writes leaves the database as it was (one transaction)", async () => {
    const broken = file
      .replace(
        "backends:\n",
        `backends:\n  - slug: aaa-first\n    displayName: First\n    url: ${app.world.backends.open.url}\n    auth:\n      mode: none\n`,
      )
      .replace("provider: gitlab", "provider: no-such-provider");
    await expect(applyConfig(broken, { sources: sources() })).rejects.toThrow('no provider "no-such-provider"');
    expect((await findBackends()).map((b) => b.slug)).not.toContain("aaa-first");
  });

  it("a backend changed in the console is taken back under the file by the next apply", async () => {
    await getDb().backend.update({ where: { slug: "utils" }, data: { managedBy: null, displayName: "Renamed by hand" } });
    const plan = await applyConfig(file, { sources: sources() });
    expect(formatPlan(plan)).toBe(
      ["~ backend utils", '    displayName: "Renamed by hand" → "Utilities"', '    managedBy: (console) → "file"'].join("\n"),
    );
    expect((await exportConfig()).yaml).toBe(file);
  });

  it("an admin turns personal access tokens off from the file: stored, applied once, exported back", async () => {
    const withSettings = `${file}settings:\n  personalAccessTokens: false\n`;
    const preview = await applyConfig(withSettings, { sources: sources(), dryRun: true });
    expect(formatPlan(preview)).toBe(["~ settings", "    personalAccessTokens: (default: true) → false"].join("\n"));
    expect(await getDb().setting.count()).toBe(0);

    await applyConfig(withSettings, { sources: sources() });
    expect(await getPersonalAccessTokensEnabled()).toBe(false);
    expect(formatPlan(await applyConfig(withSettings, { sources: sources() }))).toBe("no changes");
    expect((await exportConfig()).yaml).toBe(withSettings);
    // A file that says nothing about settings leaves them as they are.
    expect(formatPlan(await applyConfig(file, { sources: sources() }))).toBe("no changes");
    expect(await getPersonalAccessTokensEnabled()).toBe(false);
  });

  it("a setting with the wrong type is refused naming its field", async () => {
    await expect(applyConfig(`${file}settings:\n  personalAccessTokens: "no"\n`, { sources: sources() })).rejects.toThrow(
      /settings\.personalAccessTokens.*must be true or false/,
    );
  });
});
