// Fails when prisma/schema.prisma changed without a migration: the catalog built by the migrations
// must equal the one built from Prisma's own SQL for the schema (empty → schema.prisma).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

// Beside the clone, as in CI (../shared/tools); its first run installs a toolbox from npm.
const tool = path.resolve(process.cwd(), "../shared/tools/prisma-migration-sql");

// Column order is left out: a column added by a later migration lands last, which is not drift.
const CATALOG = {
  columns: `SELECT table_name || '.' || column_name || ' ' || udt_name || ' ' || is_nullable
             || ' default=' || coalesce(column_default, '-') || ' len=' || coalesce(character_maximum_length::text, '-')
             || ' precision=' || coalesce(datetime_precision::text, numeric_precision::text, '-') AS item
              FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  indexes: `SELECT indexdef AS item FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  constraints: `SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) AS item
                  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations'`,
  enums: `SELECT t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS item
            FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = 'public' GROUP BY t.typname`,
};

async function catalog(db: Db): Promise<Record<string, string[]>> {
  const entries = await Promise.all(
    Object.entries(CATALOG).map(
      async ([part, sql]) => [part, (await db.runRawQuery<{ item: string }>(sql)).map((r) => r.item).sort()] as const,
    ),
  );
  return Object.fromEntries(entries);
}

describe("schema drift", () => {
  const dbs: Db[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });

  it("prisma/schema.prisma matches the migrations", { timeout: 300_000 }, async () => {
    expect(existsSync(tool), `${tool} is missing`).toBe(true);
    const { stdout: schemaSql } = await promisify(execFile)(tool, ["empty", "prisma/schema.prisma"], {
      cwd: process.cwd(),
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(schemaSql).toContain("CREATE TABLE");

    const fromMigrations = createDb({ dataDir: "memory" });
    const fromSchema = createDb({ dataDir: "memory" });
    dbs.push(fromMigrations, fromSchema);
    await migrate(fromMigrations);
    const session = await fromSchema.openSession();
    await session.exec(schemaSql).finally(() => session.release());

    const expected = await catalog(fromSchema);
    expect(expected.columns!.length).toBeGreaterThan(0);
    // On failure: write a migration (see the tool's header), e.g. prisma/migrations/<timestamp>_<what>/migration.sql.
    expect(await catalog(fromMigrations)).toEqual(expected);
  });
});
