// The database: Prisma client, migrator and readiness. Domain modules import from here.
export { closeDb, createDb, getDatabase, getDb, type Db, type DbTarget, type SqlRunner, type SqlSession } from "@/lib/db/client";
export {
  MigrationError,
  defaultMigrationsDir,
  migrate,
  pendingMigrations,
  readMigrations,
  type MigrateOptions,
  type Migration,
  type MigrationTarget,
} from "@/lib/db/migrate";
export { checkReady, redact, type Readiness } from "@/lib/db/ready";
export { setDatabaseForTests } from "@/lib/db/client";
export { Prisma, PrismaClient } from "@/lib/db/generated/client";
