// For tests: a fresh, migrated database. On PostgreSQL when TEST_DATABASE_URL is set (`npm run
// test:pg`, CI), a new database per call, dropped afterwards; otherwise an in-memory PGlite.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, setDatabaseForTests, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

export interface TestDatabase {
  db: Db;
  /** The PostgreSQL URL of this database (other processes can connect), if on PostgreSQL. */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh database on the TEST_DATABASE_URL server (its role needs CREATEDB). */
export async function createPostgresTestDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `gatehouse_test_${randomBytes(6).toString("hex")}`;
  // A connection per statement: the fault suite restarts its server in between.
  const asAdmin = async (sql: string) => {
    const admin = new pg.Client({ connectionString: adminUrl });
    admin.on("error", () => undefined);
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function openTestDatabase(opts: { postgres?: boolean } = {}): Promise<TestDatabase> {
  // The test-only switch, set by `npm run test:pg`.
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl && opts.postgres !== false) {
    const pgDb = await createPostgresTestDatabase(adminUrl);
    const db = createDb({ url: pgDb.url });
    await migrate(db);
    return { db, url: pgDb.url, drop: async () => (await db.close(), await pgDb.drop()) };
  }
  const db = createDb({ dataDir: "memory" });
  await migrate(db);
  return { db, drop: () => db.close() };
}

/** openTestDatabase() and make it the one getDb() returns. */
export async function attachTestDatabase(): Promise<TestDatabase> {
  const t = await openTestDatabase();
  setDatabaseForTests(t.db);
  return t;
}
