// Did every answered call leave its audit row? The steady load numbers its open-backend calls (the
// `a` argument, recorded because that backend audits arguments); this finds the numbers of calls
// that succeeded without a row, after waiting for every replica's spool to drain.
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
  spoolsDrained: boolean;
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
  const spoolsDrained = (await timeUntil(async () => (await spools(s)).spooled === 0, DRAIN_PATIENCE_MS, 200)) !== Infinity;
  // The replicas write their batches every 250 ms.
  await new Promise((r) => setTimeout(r, 1_000));
  const expected = new Set(calls.filter((c) => c.ok && c.backend === "utils").map((c) => c.seq));
  const rows = await s.db.prisma.auditEvent.findMany({
    where: { action: "tool_call", backend: "utils", tool: "add", outcome: "success" },
    select: { detail: true },
  });
  const found = new Set(rows.map((r) => (r.detail as { arguments?: { a?: number } } | null)?.arguments?.a));
  const written = [...expected].filter((seq) => found.has(seq)).length;
  return { expected: expected.size, written, lost: expected.size - written, droppedBySpools: (await spools(s)).dropped, spoolsDrained };
}
