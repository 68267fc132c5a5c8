// The outbox sweep: every due revocation, sent by one replica at a time (a PostgreSQL advisory lock;
// on PGlite the process is the only replica). Runs every REVOCATION_SWEEP_MS from start-up, and a
// row's first attempt is made at once by whoever queued it (unlink), so the sweep only handles
// retries and rows whose replica died.
import { getDatabase, getDb } from "@/lib/db";
import { log } from "@/lib/log";
import { claimedRevocations, deliverRevocation } from "@/lib/revocations/deliver-revocation";
import { singleton } from "@/lib/singleton";

/** An arbitrary constant: the advisory lock the sweeping replica holds. */
const SWEEP_LOCK = 7_031_955_001;
const BATCH = 50;

const state = singleton("revocations.sweep", () => ({
  timer: undefined as NodeJS.Timeout | undefined,
  running: undefined as Promise<number> | undefined,
}));

/** Sends what is due; resolves with how many rows were attempted (0 when another replica sweeps). */
export function runRevocations(): Promise<number> {
  return (state.running ??= sweep().finally(() => (state.running = undefined)));
}

async function sweep(): Promise<number> {
  const db = getDatabase();
  if (db.kind !== "postgres") return sendDue();
  const session = await db.openSession();
  let locked = false;
  try {
    locked = (await session.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [SWEEP_LOCK]))[0]?.locked === true;
    if (!locked) return 0;
    return await sendDue();
  } finally {
    if (locked) await session.query("SELECT pg_advisory_unlock($1)", [SWEEP_LOCK]).catch(() => undefined);
    await session.release(!locked);
  }
}

async function sendDue(): Promise<number> {
  const due = await getDb().revocationOutbox.findMany({
    where: { nextAttemptAt: { lte: new Date() } },
    orderBy: { nextAttemptAt: "asc" },
    take: BATCH,
    select: { id: true },
  });
  for (const { id } of due)
    await deliverRevocation(id).catch((err: unknown) => log.warn({ err: (err as Error).message }, "a revocation attempt failed"));
  return due.length;
}

export function startRevocationSweep(everyMs: number): void {
  if (state.timer) return;
  state.timer = setInterval(
    () => void runRevocations().catch((err: unknown) => log.warn({ err: (err as Error).message }, "the revocation sweep failed")),
    everyMs,
  );
  state.timer.unref();
}

/** Shutdown: stop sweeping, wait for the attempt in flight, and hand back any claim still held. */
export async function stopRevocationSweep(): Promise<void> {
  clearInterval(state.timer);
  state.timer = undefined;
  await state.running?.catch(() => undefined);
  if (claimedRevocations.size)
    await getDb()
      .revocationOutbox.updateMany({ where: { id: { in: [...claimedRevocations] } }, data: { nextAttemptAt: new Date() } })
      .catch(() => undefined);
}
