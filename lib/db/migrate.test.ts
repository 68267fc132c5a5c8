import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeDb, createDb, getDatabase, type Db } from "@/lib/db/client";
import { migrate, pendingMigrations, readMigrations } from "@/lib/db/migrate";
import { checkReady, redact } from "@/lib/db/ready";
import { setEnvForTests } from "@/lib/env";
import { createPostgresTestDatabase as createTestDatabase } from "@/testkit/test-database";

const names = readMigrations().map((m) => m.name);
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the real migrations, so a test may edit or add to it. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-migrations-"));
  temps.push(dir);
  cpSync(path.resolve(process.cwd(), "prisma/migrations"), dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string) {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

/** Runs migrate() in `count` separate Node processes at once; returns what each applied. */
async function migrateInChildProcesses(url: string, migrationsDir: string, count: number): Promise<string[][]> {
  const migrator = pathToFileURL(path.resolve(process.cwd(), "lib/db/migrate.ts")).href;
  const client = pathToFileURL(path.resolve(process.cwd(), "lib/db/client.ts")).href;
  const code = `
    const { migrate } = await import(${JSON.stringify(migrator)});
    const { createDb } = await import(${JSON.stringify(client)});
    const db = createDb({ url: process.argv[1] });
    const { applied } = await migrate(db, { migrationsDir: process.argv[2] });
    await db.close();
    console.log(JSON.stringify(applied));`;
  const run = promisify(execFile);
  const children = Array.from({ length: count }, () =>
    run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code, url, migrationsDir], { cwd: process.cwd() }),
  );
  return (await Promise.all(children)).map(({ stdout }) => JSON.parse(stdout.trim().split("\n").pop()!) as string[]);
}

// The same cases on embedded PGlite always, and on PostgreSQL when CI provides one.
function migratorCases(open: () => Promise<Db>) {
  let db: Db;
  afterEach(async () => db?.close());

  it("applies the migrations, and Prisma can then write and read a user", async () => {
    db = await open();
    expect(await pendingMigrations(db)).toEqual(names);
    expect(await migrate(db)).toEqual({ applied: names });
    expect(await pendingMigrations(db)).toEqual([]);
    const user = await db.prisma.user.create({ data: { issuer: "https://idp.test", sub: "alice", roles: ["dev"], groups: [] } });
    const found = await db.prisma.user.findUnique({ where: { issuer_sub: { issuer: "https://idp.test", sub: "alice" } } });
    expect(found).toMatchObject({ id: user.id, roles: ["dev"] });
    const rows = await db.runRawQuery<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished_at && r.applied_steps_count === 1)).toBe(true);
  });

  it("applying twice is a no-op", async () => {
    db = await open();
    await migrate(db);
    expect(await migrate(db)).toEqual({ applied: [] });
    const [count] = await db.runRawQuery<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(count?.n).toBe(names.length);
  });

  it("refuses a migration whose file changed after it was applied, and applies a new one", async () => {
    db = await open();
    const dir = copyOfMigrations();
    await migrate(db, { migrationsDir: dir });
    // Other line endings (a Windows checkout) are not a change, as for Prisma.
    const file = path.join(dir, names[0]!, "migration.sql");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n/g, "\r\n"));
    expect(await migrate(db, { migrationsDir: dir })).toEqual({ applied: [] });
    writeFileSync(file, "-- edited\n", { flag: "a" });
    await expect(migrate(db, { migrationsDir: dir })).rejects.toThrow(`Migration ${names[0]} was modified after it was applied`);

    const fresh = copyOfMigrations();
    addMigration(fresh, "99990101000000_later", `CREATE TABLE "Later" (id TEXT PRIMARY KEY);`);
    expect(await migrate(db, { migrationsDir: fresh })).toEqual({ applied: ["99990101000000_later"] });
  });

  it("rolls back a failing migration completely and records nothing", async () => {
    db = await open();
    const dir = copyOfMigrations();
    addMigration(dir, "99990101000000_broken", `CREATE TABLE "Half" (id TEXT);\nSELECT no_such_function();`);
    await expect(migrate(db, { migrationsDir: dir })).rejects.toThrow(/Migration 99990101000000_broken failed/);
    expect(await pendingMigrations(db, { migrationsDir: dir })).toEqual(["99990101000000_broken"]);
    const [half] = await db.runRawQuery<{ t: string | null }>(`SELECT to_regclass('"Half"')::text AS t`);
    expect(half?.t).toBeNull();
  });
}

describe("migrate on PGlite", () => {
  migratorCases(async () => createDb({ dataDir: "memory" }));
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("migrate on PostgreSQL (TEST_DATABASE_URL)", () => {
  const databases: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
  afterAll(async () => {
    for (const d of databases) await d.drop();
  });
  const fresh = async () => {
    const d = await createTestDatabase(process.env.TEST_DATABASE_URL!);
    databases.push(d);
    return d;
  };

  migratorCases(async () => createDb({ url: (await fresh()).url }));

  it("two processes started together apply each migration exactly once", async () => {
    const { url } = await fresh();
    // Extra slow migrations widen the window in which both processes want to apply them.
    const dir = copyOfMigrations();
    for (const n of ["99990101000001_slow_a", "99990101000002_slow_b"]) {
      addMigration(dir, n, `SELECT pg_sleep(0.3);\nCREATE TABLE "${n}" (id TEXT PRIMARY KEY);`);
    }
    const expected = [...names, "99990101000001_slow_a", "99990101000002_slow_b"];
    const results = await migrateInChildProcesses(url, dir, 2);
    expect(results.flat().sort()).toEqual(expected);
    const db = createDb({ url });
    try {
      const rows = await db.runRawQuery<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((r) => r.migration_name)).toEqual(expected);
    } finally {
      await db.close();
    }
  });
});

describe("readiness", () => {
  const base = { KEYCLOAK_ISSUER: "https://sso.test/realms/r", KEYCLOAK_CLIENT_ID: "gatehouse", KEYCLOAK_CLIENT_SECRET: "x" };
  afterEach(() => closeDb());

  it("reports pending migrations, then ok, on the configured embedded database", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "gatehouse-ready-"));
    temps.push(dataDir);
    setEnvForTests({ ...base, DATA_DIR: dataDir });
    expect(await checkReady()).toEqual({ ok: false, database: "ok", pendingMigrations: names });
    await migrate(getDatabase());
    expect(await checkReady()).toEqual({ ok: true, database: "ok", pendingMigrations: [] });
  });

  it("never throws, and never shows a password", async () => {
    setEnvForTests({ ...base, DATABASE_URL: "postgres://gate:hunter2@127.0.0.1:1/app?connect_timeout=2" });
    const result = await checkReady();
    expect(result.ok).toBe(false);
    expect(result.database).not.toContain("hunter2");
    expect(redact("connect to postgres://gate:s3cr%40t@db:5432/app failed")).toBe("connect to postgres://gate:***@db:5432/app failed");
  });
});
