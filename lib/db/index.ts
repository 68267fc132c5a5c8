// The database: Prisma client, migrator and readiness. Domain modules import from here.
export { closeDb, createDb, getDatabase, getDb, type Db, type DbTarget, type SqlRunner, type SqlSession } from "./client";
export {
  MigrationError,
  defaultMigrationsDir,
  migrate,
  pendingMigrations,
  readMigrations,
  type MigrateOptions,
  type Migration,
  type MigrationTarget,
} from "./migrate";
export { checkReady, redact, type Readiness } from "./ready";
export { setDatabaseForTests } from "./client";
export { Prisma, PrismaClient } from "./generated/client";
