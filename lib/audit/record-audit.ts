// Audit events from hot paths (MCP calls) are queued and written in batches, so a call never waits
// for the database; flushAudit() runs on shutdown so none is lost. Writes that belong to a change
// (an admin edit, a link) use auditInTransaction() instead, in the same transaction as the change.
// While the database is unreachable the queue is a spool: batches go back to its head and are
// retried with backoff until it returns. It is bounded (AUDIT_SPOOL_MAX): past that the oldest
// events are dropped and counted (auditDropped(), a metric and a health signal), never silently.
import { insertAuditRows } from "@/lib/audit/insert-audit-rows";
import { getDb } from "@/lib/db";
import { isDatabaseUnreachable } from "@/lib/db/database-error";
import type { Prisma } from "@/lib/db/generated/client";
import { log } from "@/lib/log";
import { countAuditDrops } from "@/lib/metrics/observe";
import { singleton } from "@/lib/singleton";

export interface AuditInput {
  action: string;
  outcome: "success" | "failure";
  userId?: string | null;
  clientId?: string | null;
  /** The client's name when known at the call (a personal access token's name). */
  clientName?: string | null;
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

interface Queued {
  event: AuditInput;
  queuedAt: number;
}

const FLUSH_EVERY_MS = 250;
const MAX_BATCH = 200;
/** Events kept while the database is down (~1 KB each); past this the oldest are dropped and counted. */
export const AUDIT_SPOOL_MAX = 50_000;
const RETRY_MS = { first: 250, max: 5_000 };

const queue = singleton("audit.queue", () => ({
  /** Each event with when it was queued (epoch ms: a Date per call costs on the call path). */
  pending: [] as Queued[],
  timer: undefined as NodeJS.Timeout | undefined,
  flushing: Promise.resolve(),
  /** Since when writes fail for want of a database (undefined while they succeed). */
  outageSince: undefined as Date | undefined,
  retryMs: RETRY_MS.first,
  dropped: 0,
}));

/** Queues an event; returns at once. */
export function recordAudit(event: AuditInput): void {
  queue.pending.push({ event, queuedAt: Date.now() });
  if (queue.pending.length > AUDIT_SPOOL_MAX) {
    const over = queue.pending.length - AUDIT_SPOOL_MAX;
    queue.pending.splice(0, over);
    queue.dropped += over;
    countAuditDrops(over);
    log.error({ dropped: queue.dropped, spooled: AUDIT_SPOOL_MAX }, "the audit spool is full; the oldest events were dropped");
  }
  if (queue.outageSince) return; // the retry timer is set
  if (queue.pending.length >= MAX_BATCH) void flushAudit();
  else queue.timer ??= setTimeout(() => void flushAudit(), FLUSH_EVERY_MS).unref();
}

/** Audit events dropped since start (spool overflow, rows that could not be written): for metrics. */
export function auditDropped(): number {
  return queue.dropped;
}

/** For health: events waiting for the database, and since when it has been unreachable. */
export function auditSpool(): { spooled: number; dropped: number; outageSince?: Date } {
  return { spooled: queue.pending.length, dropped: queue.dropped, ...(queue.outageSince ? { outageSince: queue.outageSince } : {}) };
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
      const rows = batch.map((q) => toRow(q.event, q.queuedAt));
      try {
        await insertAuditRows(rows);
        if (queue.outageSince) log.info({ since: queue.outageSince, spooled: queue.pending.length }, "audit writes resumed");
        queue.outageSince = undefined;
        queue.retryMs = RETRY_MS.first;
      } catch (e) {
        if (!isDatabaseUnreachable(e)) {
          await writeOneByOne(rows);
          continue;
        }
        // The database is away: keep the batch at the head of the spool, try again later.
        queue.pending.unshift(...batch);
        if (!queue.outageSince) log.warn({ err: (e as Error).message }, "audit writes failed; spooling until the database returns");
        queue.outageSince ??= new Date();
        clearTimeout(queue.timer);
        queue.timer = setTimeout(() => void flushAudit(), queue.retryMs).unref();
        queue.retryMs = Math.min(queue.retryMs * 2, RETRY_MS.max);
        return;
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
        queue.dropped++;
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

function toRow(e: AuditInput, queuedAt?: number): Prisma.AuditEventCreateManyInput {
  return {
    action: e.action,
    outcome: e.outcome,
    userId: e.userId ?? null,
    clientId: e.clientId ?? null,
    clientName: e.clientName ?? null,
    backend: e.backend ?? null,
    provider: e.provider ?? null,
    tool: e.tool ?? null,
    latencyMs: e.latencyMs == null ? null : Math.round(e.latencyMs),
    traceId: e.traceId ?? null,
    detail: e.detail,
    at: e.at ?? (queuedAt === undefined ? new Date() : new Date(queuedAt)),
  };
}
