// Did every answered call leave its audit row? The steady load numbers its open-backend calls (the
// `a` argument, recorded because that backend audits arguments); this finds the numbers of calls
// that succeeded without a row, waiting for the replicas' spools to write them.
import type { FaultStack } from "@/bench/faults/fault-stack";
import { timeUntil } from "@/bench/faults/figures";
import type { CallRecord } from "@/bench/faults/load-driver";

const DRAIN_PATIENCE_MS = 30_000;

export interface AuditAccount {
  expected: number;
  written: number;
  lost: number;
  /** Events the replicas' spools dropped (full spool, rows refused), from their readiness. */
  droppedBySpools: number;
  /** Every expected row was found within the patience. */
  complete: boolean;
}

async function spools(s: FaultStack): Promise<{ spooled: number; dropped: number }> {
  const answers = await Promise.all(
    s.replicas.map((r) =>
      fetch(`${r.url}/api/health/ready`)
        .then((res) => res.json() as Promise<{ audit: { spooled: number; dropped: number } }>)
        .then((j) => j.audit),
    ),
  );
  return answers.reduce((a, b) => ({ spooled: a.spooled + b.spooled, dropped: a.dropped + b.dropped }), { spooled: 0, dropped: 0 });
}

export async function accountAudit(s: FaultStack, calls: CallRecord[]): Promise<AuditAccount> {
  const expected = new Set(calls.filter((c) => c.ok && c.backend === "utils").map((c) => c.seq));
  const countWritten = async () => {
    const rows = await s.db.prisma.auditEvent.findMany({
      where: { action: "tool_call", backend: "utils", tool: "add", outcome: "success" },
      select: { detail: true },
    });
    const found = new Set(rows.map((r) => (r.detail as { arguments?: { a?: number } } | null)?.arguments?.a));
    return [...expected].filter((seq) => found.has(seq)).length;
  };
  // The load goes on, so the spools never stay empty: wait for these calls' rows instead.
  let written = 0;
  const complete = (await timeUntil(async () => (written = await countWritten()) === expected.size, DRAIN_PATIENCE_MS, 250)) !== Infinity;
  return { expected: expected.size, written, lost: expected.size - written, droppedBySpools: (await spools(s)).dropped, complete };
}
