// A session (a checked-out connection, as the revocation sweep holds for its lock) whose connection
// the database ends, as a PostgreSQL restart does: the process must live on, the session's next
// query fail with a database error, and the pool serve new queries.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { isDatabaseUnreachable } from "@/lib/db/database-error";
import { createPostgresTestDatabase } from "@/testkit/test-database";

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)("[db] a session's connection ended by the server (TEST_DATABASE_URL)", () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Db;
  beforeAll(async () => {
    database = await createPostgresTestDatabase(adminUrl!);
    db = createDb({ url: database.url });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("does not crash the process; the next query fails clearly and the pool recovers", async () => {
    const session = await db.openSession();
    const [row] = await session.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend($1)", [row!.pid]);
    await admin.end();
    // The server's notice reaches the idle client as an 'error' event: unhandled, it would throw.
    await new Promise((r) => setTimeout(r, 200));
    const failed = await session.query("SELECT 1").catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(isDatabaseUnreachable(failed) || /terminat|not queryable|closed/i.test((failed as Error).message)).toBe(true);
    await session.release(true);
    expect(await db.runRawQuery<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });
});
