// The part every test stack shares: the test world over HTTP, this process configured against it
// like the app (a fresh keyring), and a fresh migrated database installed as the app's through the
// database module's own test hook: in-memory PGlite, or a new database on a PostgreSQL server.
import "@/testkit/preset";
import { randomBytes } from "node:crypto";
import { startWorld, type World } from "@/e2e/world";
import { flushAudit } from "@/lib/audit/record-audit";
import { closeBus } from "@/lib/bus/bus";
import { createDb, migrate, setDatabaseForTests, type Db } from "@/lib/db";
import { setEnvForTests } from "@/lib/env";
import { createPostgresTestDatabase } from "@/testkit/test-database";

export type TestUser = "alice" | "bob" | "admin";

export interface TestApp {
  world: World;
  db: Db;
  /** The configuration this process runs with (another app process can be given the same). */
  appEnv: Record<string, string>;
  /** Set when the database is on PostgreSQL. */
  databaseUrl?: string;
  /** A fresh Keycloak access token for a test user. */
  tokenFor(user: TestUser, clientId?: string): Promise<string>;
  /** Flushes the audit queue, then closes the database and the world. */
  close(): Promise<void>;
}

export async function startTestApp(opts: {
  appUrl: string;
  postgresUrl?: string;
  env?: Record<string, string>;
  /** GitLab and the exchange backend serve 2026-07-28 beside the handshake era. */
  modernEras?: boolean;
}): Promise<TestApp> {
  const world = await startWorld({ appUrl: opts.appUrl, modernEras: opts.modernEras });
  const database = opts.postgresUrl ? await createPostgresTestDatabase(opts.postgresUrl) : undefined;
  const appEnv: Record<string, string> = {
    NODE_ENV: "test",
    APP_URL: opts.appUrl,
    KEYCLOAK_ISSUER: world.keycloak.issuer,
    KEYCLOAK_CLIENT_ID: world.gatehouseClient.clientId,
    KEYCLOAK_CLIENT_SECRET: world.gatehouseClient.clientSecret,
    GATEHOUSE_KEYS: `t1:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: "silent",
    // The test world's backends are slow only when the machine is busy (parallel suites), not sick:
    // lists wait for them. The tests of the list budget set their own.
    LIST_BUDGET_MS: "10000",
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...opts.env,
  };
  setEnvForTests(appEnv);
  const db = createDb(database ? { url: database.url } : { dataDir: "memory" });
  setDatabaseForTests(db);
  await migrate(db);

  const passwordOf = (user: TestUser) => world.keycloak.users.find((u) => u.username === user)!.password;
  return {
    world,
    db,
    appEnv,
    databaseUrl: database?.url,
    tokenFor: async (user, clientId = world.gatehouseClient.clientId) =>
      (await world.keycloak.passwordGrant({ username: user, password: passwordOf(user), clientId })).access_token,
    async close() {
      await flushAudit();
      // Its listening connection would otherwise keep reconnecting to the dropped database.
      await closeBus();
      await db.close();
      await database?.drop();
      await world.close();
    },
  };
}
