// npm run db:migrate — applies pending migrations to the configured database (DATABASE_URL, or the
// embedded PGlite in DATA_DIR) and prints one line per migration applied.
import { closeDb, getDatabase, migrate, redact } from "@/lib/db";

try {
  const { applied } = await migrate(getDatabase());
  for (const name of applied) console.log(`applied ${name}`);
  if (applied.length === 0) console.log("database is up to date");
  await closeDb();
} catch (err) {
  console.error(`db:migrate failed: ${redact(err instanceof Error ? err.message : String(err))}`);
  await closeDb().catch(() => {});
  process.exitCode = 1;
}
