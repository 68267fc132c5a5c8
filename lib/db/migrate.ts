// Applies prisma/migrations/*/migration.sql at start-up, since the Prisma 7 CLI cannot run here
// (it downloads its schema engine). Rows go into `_prisma_migrations` exactly as Prisma writes
// them, so `prisma migrate status` and `migrate deploy` agree with what this applied.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SqlRunner, SqlSession } from "@/lib/db/client";

export type MigrationTarget = { openSession(): Promise<SqlSession> };
export type MigrateOptions = { migrationsDir?: string };
export type Migration = { name: string; checksum: string; sql: string };

/** The migrator refused to run; the message is the one line to print. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

// Prisma Migrate's own advisory-lock key: sharing it makes this migrator and `prisma migrate deploy`
// exclude each other too, not only replicas of this app. The lock is per session, so DATABASE_URL
// must reach PostgreSQL directly, not through a transaction-mode pooler (PgBouncer).
const LOCK_KEY = 72707369;

// Prisma's table, column for column.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

type AppliedRow = { migration_name: string; checksum: string; finished: boolean };

export function defaultMigrationsDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), "prisma/migrations");
}

/** The migrations on disk, in Prisma's order (folder name). */
export function readMigrations(dir = defaultMigrationsDir()): Migration[] {
  // The folder is read at run time from the deployed project, not bundled: keep Turbopack from tracing it.
  if (!existsSync(/*turbopackIgnore: true*/ dir)) throw new MigrationError(`Migrations folder not found: ${dir}`);
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!existsSync(/*turbopackIgnore: true*/ file)) throw new MigrationError(`Migration ${name} has no migration.sql`);
      const sql = readFileSync(/*turbopackIgnore: true*/ file, "utf8");
      return { name, checksum: sha256(sql), sql };
    });
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

// As Prisma compares: a checkout with other line endings (git on Windows) still matches.
function matchesChecksum(sql: string, checksum: string): boolean {
  return [sql, sql.replace(/\r\n/g, "\n"), sql.replace(/\r?\n/g, "\r\n")].some((s) => sha256(s) === checksum);
}

async function readApplied(db: SqlRunner): Promise<AppliedRow[] | undefined> {
  const [exists] = await db.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!exists?.t) return undefined;
  // Rolled-back rows are history (`prisma migrate resolve --rolled-back`): the migration counts as unapplied.
  return db.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished
       FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
}

/** What still needs applying; throws MigrationError when the database disagrees with the files. */
function plan(migrations: Migration[], applied: AppliedRow[]): Migration[] {
  const byName = new Map(applied.map((r) => [r.migration_name, r]));
  // A migration only in the database is ignored: during a rolling deploy a newer replica may have
  // applied one this (older) code does not know yet.
  return migrations.filter((m) => {
    const row = byName.get(m.name);
    if (!row) return true;
    if (!row.finished) {
      throw new MigrationError(
        `Migration ${m.name} failed or is in progress in the database; fix it, then run \`prisma migrate resolve --rolled-back ${m.name}\``,
      );
    }
    if (!matchesChecksum(m.sql, row.checksum)) {
      throw new MigrationError(`Migration ${m.name} was modified after it was applied (checksum differs); restore the file`);
    }
    return false;
  });
}

/** Applies pending migrations, each in its own transaction, under an advisory lock. */
export async function migrate(target: MigrationTarget, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrations = readMigrations(options.migrationsDir);
  const session = await target.openSession();
  let mayHoldLock = false;
  try {
    // Replicas starting together queue here; each then re-reads the table, so each migration runs once.
    await session.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    mayHoldLock = true;
    try {
      await session.exec(CREATE_TABLE);
      const pending = plan(migrations, (await readApplied(session)) ?? []);
      for (const m of pending) {
        await session.transaction(async (tx) => {
          const id = randomUUID();
          await tx.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
             VALUES ($1, $2, $3, clock_timestamp(), 0)`,
            [id, m.checksum, m.name],
          );
          try {
            await tx.exec(m.sql);
          } catch (err) {
            throw new MigrationError(`Migration ${m.name} failed: ${(err as Error).message}`);
          }
          await tx.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
        });
      }
      return { applied: pending.map((m) => m.name) };
    } finally {
      mayHoldLock = !(await session.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).then(
        () => true,
        () => false,
      ));
    }
  } finally {
    // A connection that may still hold the lock must not go back to the pool.
    await session.release(mayHoldLock);
  }
}

/** Migrations on disk not yet applied (for /api/ready); never changes the database. */
export async function pendingMigrations(target: MigrationTarget, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = readMigrations(options.migrationsDir);
  const session = await target.openSession();
  try {
    const applied = (await readApplied(session)) ?? [];
    const done = new Set(applied.filter((r) => r.finished).map((r) => r.migration_name));
    return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
  } finally {
    await session.release();
  }
}
