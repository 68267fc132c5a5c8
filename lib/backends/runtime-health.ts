// What the gateway learns about a backend while serving (its tool list answered, or failed) goes on
// the row's "last check" columns, so the console shows a failing backend. Written only when the state
// flips or every REWRITE_MS, never on the per-call path, and without touching `updatedAt`.
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { singleton } from "@/lib/singleton";

const REWRITE_MS = 5 * 60_000;
const MAX_MESSAGE = 1000;

const lastWritten = singleton(
  "backends.runtimeHealth",
  () => new Map<string, { ok: boolean; at: number }>(),
  (m) => m.clear(),
);

export interface BackendHealth {
  backendId: string;
  ok: boolean;
  message: string;
  toolCount?: number;
}

/** Records a list result; returns at once (the write runs in the background), true when it writes. */
export function recordBackendHealth(h: BackendHealth): boolean {
  const previous = lastWritten.get(h.backendId);
  const now = Date.now();
  if (previous && previous.ok === h.ok && now - previous.at < REWRITE_MS) return false;
  lastWritten.set(h.backendId, { ok: h.ok, at: now });
  const message = h.message.slice(0, MAX_MESSAGE);
  // Raw SQL: Prisma's update would bump updatedAt, which means "an admin edited this".
  const write =
    h.ok && h.toolCount !== undefined
      ? getDb()
          .$executeRaw`UPDATE "Backend" SET "lastCheckAt" = ${new Date(now)}, "lastCheckOk" = true, "lastCheckMessage" = ${message}, "toolCount" = ${h.toolCount} WHERE "id" = ${h.backendId}`
      : getDb()
          .$executeRaw`UPDATE "Backend" SET "lastCheckAt" = ${new Date(now)}, "lastCheckOk" = ${h.ok}, "lastCheckMessage" = ${message} WHERE "id" = ${h.backendId}`;
  write.catch((e: unknown) => {
    lastWritten.delete(h.backendId);
    log.warn({ err: (e as Error).message, backendId: h.backendId }, "could not record backend health");
  });
  return true;
}
