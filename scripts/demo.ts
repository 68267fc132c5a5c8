// `npm run demo`: the test world and Gatehouse with a seeded configuration on the embedded
// database, on fixed ports. Ctrl-C stops everything.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { seedStack } from "@/e2e/seed";
import { newSecrets, startStack, type StackSecrets } from "@/e2e/stack";

const dataDir = path.resolve("data");
const started = Date.now();

function buildApp() {
  if (process.argv.includes("--no-build") && existsSync(".next/BUILD_ID")) return;
  console.log("Building the app for production (next build)…");
  const r = spawnSync(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The demo keeps its keyring across restarts, so links made yesterday still decrypt. */
function demoSecrets(): StackSecrets {
  const file = path.join(dataDir, "demo-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as StackSecrets;
  const secrets = newSecrets();
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function main() {
  buildApp();
  mkdirSync(dataDir, { recursive: true });
  const stack = await startStack({
    port: 3000,
    dataDir,
    worldPorts: { keycloak: 8080, gitlab: 8929, exchange: 9101, static: 9102, open: 9103 },
    // Every pairing: GitLab and tickets speak 2026-07-28 (and the handshake era), search and utils only the handshake era.
    modernEras: true,
    secrets: demoSecrets(),
    seed: seedStack,
  });
  const { world } = stack;
  const users = world.keycloak.users.map((u) => ({ username: u.username, password: u.password, roles: u.realmRoles }));
  const demo = {
    appUrl: stack.appUrl,
    mcpUrl: stack.mcpUrl,
    keycloak: {
      issuer: world.keycloak.issuer,
      tokenEndpoint: world.keycloak.tokenEndpoint,
      clientId: world.gatehouseClient.clientId,
      clientSecret: world.gatehouseClient.clientSecret,
    },
    gitlab: {
      url: world.gitlab.url,
      mcpUrl: world.gitlab.mcpUrl,
      users: world.gitlab.users.map((u) => ({ username: u.username, password: u.password })),
    },
    backends: { exchange: world.backends.exchange.url, static: world.backends.static.url, open: world.backends.open.url },
    users,
  };
  writeFileSync(path.join(dataDir, "demo.json"), JSON.stringify(demo, null, 2));

  console.log(`
Gatehouse demo is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s)

  Portal and console   ${stack.appUrl}
  Connect a client     ${stack.appUrl}/connect   (sign in as alice, then follow the steps for your AI client)
  MCP endpoint         ${stack.mcpUrl}
  Keycloak (stand-in)  ${world.keycloak.issuer}
  GitLab (stand-in)    ${world.gitlab.url}
  MCP eras:            gitlab, tickets: 2026-07-28 and 2025-11-25 on one URL; search, utils: 2025-11-25

  Sign in as:          ${users.map((u) => `${u.username} / ${u.password}`).join("   ")}
  GitLab accounts:     ${world.gitlab.users.map((u) => `${u.username} / ${u.password}`).join("   ")}

  The same, as JSON:   data/demo.json      App logs: data/app.log
  Press Ctrl-C to stop.
`);
  let stopping = false;
  const shutdown = async () => {
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
  stack.app.once("exit", (code) => {
    // Ctrl-C reaches the app too (same process group): only an unexpected exit is news.
    if (stopping || code === 0) return;
    console.error(`The app stopped (exit code ${code}); see data/app.log.`);
    void stack.world.close().then(() => process.exit(1));
  });
}

main().catch((e) => {
  console.error(`Demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
