// Audit events from hot paths (MCP calls) are queued and written in batches, so a call never waits
// for the database; flushAudit() runs on shutdown so none is lost. Writes that belong to a change
// (an admin edit, a link) use auditInTransaction() instead, in the same transaction as the change.
import { insertAuditRows } from "@/lib/audit/insert-audit-rows";
import { getDb } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { log } from "@/lib/log";
import { countAuditDrops } from "@/lib/metrics/observe";
import { singleton } from "@/lib/singleton";

export interface AuditInput {
  action: string;
  outcome: "success" | "failure";
  userId?: string | null;
  clientId?: string | null;
  backend?: string | null;
  provider?: string | null;
  tool?: string | null;
  latencyMs?: number | null;
  /** The OpenTelemetry trace the event happened in, when tracing is on. */
  traceId?: string | null;
  /** A summary for people; never a token, secret or (unless a backend opts in) tool arguments. */
  detail?: Prisma.InputJsonValue;
  at?: Date;
}

const FLUSH_EVERY_MS = 250;
const MAX_BATCH = 200;

const queue = singleton("audit.queue", () => ({
  pending: [] as AuditInput[],
  timer: undefined as NodeJS.Timeout | undefined,
  flushing: Promise.resolve(),
}));

/** Queues an event; returns at once. */
export function recordAudit(event: AuditInput): void {
  queue.pending.push({ ...event, at: event.at ?? new Date() });
  if (queue.pending.length >= MAX_BATCH) void flushAudit();
  else queue.timer ??= setTimeout(() => void flushAudit(), FLUSH_EVERY_MS).unref();
}

/** Events queued, not yet written (the gatehouse_audit_queue_depth gauge). */
export const auditQueueDepth = (): number => queue.pending.length;

/** Writes everything queued so far. Safe to call concurrently; resolves when all is written. */
export function flushAudit(): Promise<void> {
  clearTimeout(queue.timer);
  queue.timer = undefined;
  queue.flushing = queue.flushing.then(async () => {
    while (queue.pending.length) {
      const batch = queue.pending.splice(0, MAX_BATCH);
      const rows = batch.map(toRow);
      try {
        await insertAuditRows(rows);
      } catch {
        await writeOneByOne(rows);
      }
    }
  });
  return queue.flushing;
}

// One bad row (say, a user deleted meanwhile) must not take the rest of its batch with it.
async function writeOneByOne(rows: Prisma.AuditEventCreateManyInput[]): Promise<void> {
  let dropped = 0;
  for (const row of rows) {
    try {
      await getDb().auditEvent.create({ data: row, select: { id: true } });
    } catch {
      try {
        // The user may be gone: keep the event without the link to them.
        await getDb().auditEvent.create({ data: { ...row, userId: null }, select: { id: true } });
      } catch (e) {
        dropped++;
        log.error({ err: (e as Error).message, action: row.action }, "audit write failed; event dropped");
      }
    }
  }
  if (dropped) countAuditDrops(dropped);
  if (dropped) log.error({ dropped, of: rows.length }, "some audit events could not be written");
}

export function auditInTransaction(tx: Prisma.TransactionClient, event: AuditInput) {
  return tx.auditEvent.create({ data: toRow(event), select: { id: true } });
}

function toRow(e: AuditInput): Prisma.AuditEventCreateManyInput {
  return {
    action: e.action,
    outcome: e.outcome,
    userId: e.userId ?? null,
    clientId: e.clientId ?? null,
    backend: e.backend ?? null,
    provider: e.provider ?? null,
    tool: e.tool ?? null,
    latencyMs: e.latencyMs == null ? null : Math.round(e.latencyMs),
    traceId: e.traceId ?? null,
    detail: e.detail,
    at: e.at ?? new Date(),
  };
}
