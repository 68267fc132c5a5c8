// The era a backend speaks (2026-07-28 or the handshake era) and the version negotiated with it, as
// found when an upstream session is set up (a call's, a list's, a Test connection's), on the
// backend's row next to its last check. Written when it changes, never on the per-call path.
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { singleton } from "@/lib/singleton";

const lastWritten = singleton(
  "backends.protocolEra",
  () => new Map<string, string>(),
  (m) => m.clear(),
);

/** The write runs in the background; the promise (never rejected) says when it is done. */
export function recordBackendEra(backendId: string, era: string, protocolVersion: string): Promise<void> {
  const value = `${era} ${protocolVersion}`;
  if (lastWritten.get(backendId) === value) return Promise.resolve();
  lastWritten.set(backendId, value);
  const failed = (e: unknown) => {
    lastWritten.delete(backendId);
    log.warn({ err: (e as Error).message, backendId }, "could not record the backend's protocol era");
  };
  try {
    // Raw SQL: Prisma's update would bump updatedAt, which means "an admin edited this".
    const write = getDb()
      .$executeRaw`UPDATE "Backend" SET "protocolEra" = ${era}, "protocolVersion" = ${protocolVersion} WHERE "id" = ${backendId}`;
    return write.then(() => undefined, failed);
  } catch (e) {
    failed(e); // no database (a process that only forwards): the era is known in memory all the same
    return Promise.resolve();
  }
}
