// Readiness for /api/ready: can we query the database, and is its schema current?
import { getDatabase } from "@/lib/db/client";
import { pendingMigrations } from "@/lib/db/migrate";

export type Readiness = { ok: boolean; database: "ok" | string; pendingMigrations: string[] };

/** Never throws: a failure becomes a message fit for a public probe (no credentials). */
export async function checkReady(): Promise<Readiness> {
  try {
    const db = getDatabase();
    await db.runRawQuery("SELECT 1");
    const pending = await pendingMigrations(db);
    return { ok: pending.length === 0, database: "ok", pendingMigrations: pending };
  } catch (err) {
    return { ok: false, database: redact(err instanceof Error ? err.message : String(err)), pendingMigrations: [] };
  }
}

/** Strips credentials from any URL in a message (postgres://user:secret@host → postgres://user:***@host). */
export function redact(message: string): string {
  return message.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@").slice(0, 300);
}
