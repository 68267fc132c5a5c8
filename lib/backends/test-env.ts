// For integration tests of the admin console's lib functions and route handlers: the test world,
// the app's configuration pointed at it, and a fresh migrated in-memory database installed as the
// app's database.
import "@/lib/backends/test-env-preset";
import { randomBytes } from "node:crypto";
import { startWorld, type World } from "@/e2e/world";
import { flushAudit } from "@/lib/audit/record-audit";
import { closeDb, createDb, getDatabase, migrate } from "@/lib/db";
import { setEnvForTests } from "@/lib/env";
import { singleton } from "@/lib/singleton";

export interface TestEnv {
  world: World;
  /** A fresh Keycloak access token for a test user (alice, bob, admin). */
  tokenFor(username: "alice" | "bob" | "admin"): Promise<string>;
  close(): Promise<void>;
}

/** `env` adds to (or overrides) the test configuration, e.g. a short SESSION_ROLES_REFRESH_SECONDS. */
export async function startTestEnv(opts: { env?: Record<string, string> } = {}): Promise<TestEnv> {
  const appUrl = "http://localhost:3999";
  const world = await startWorld({ appUrl });
  setEnvForTests({
    NODE_ENV: "test",
    APP_URL: appUrl,
    KEYCLOAK_ISSUER: world.keycloak.issuer,
    KEYCLOAK_CLIENT_ID: world.gatehouseClient.clientId,
    KEYCLOAK_CLIENT_SECRET: world.gatehouseClient.clientSecret,
    GATEHOUSE_KEYS: `k1:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: "silent",
    ...opts.env,
  });
  const db = createDb({ dataDir: "memory" });
  singleton<{ current: unknown }>("db", () => ({ current: undefined })).current = db;
  if (getDatabase() !== db) throw new Error("could not install the test database: lib/db's holder changed");
  await migrate(db);
  return {
    world,
    async tokenFor(username) {
      const user = world.keycloak.users.find((u) => u.username === username)!;
      const res = await world.keycloak.passwordGrant({ username, password: user.password, clientId: world.gatehouseClient.clientId });
      return res.access_token;
    },
    async close() {
      await flushAudit();
      await closeDb();
      await world.close();
    },
  };
}
