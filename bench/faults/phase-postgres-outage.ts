// Phase 3: the suite's private PostgreSQL stopped (fast: connections cut) for N seconds under load,
// then started again, with no replica restarted. Counted: calls during the outage that needed no
// database and kept working, failures (fast, clear, retryable), how long after the restart both
// replicas were ready and the failures stopped, and every answered call's audit row written.
import { accountAudit } from "@/bench/faults/audit-accounting";
import { failureKind, failureShape } from "@/bench/faults/failure-kinds";
import type { FaultStack } from "@/bench/faults/fault-stack";
import { failuresFigure, sleep, timeUntil, type PhaseResult } from "@/bench/faults/figures";
import { startNewcomerProbe } from "@/bench/faults/newcomer-probe";

const FAIL_FAST_MS = 2_000;
const RECOVERY_GOAL_MS = 5_000;
const SETTLE_MS = 5_000;

export async function postgresOutagePhase(s: FaultStack, outageSeconds: number): Promise<PhaseResult> {
  const from = performance.now();
  await sleep(2_000);
  const probe = startNewcomerProbe(s);
  await sleep(1_000);
  const stoppedAt = performance.now();
  await s.postgres.stop();
  const downAt = performance.now();
  await sleep(outageSeconds * 1000);
  await s.postgres.start();
  const upAt = performance.now();
  const ready = async () => (await Promise.all(s.replicas.map((r) => fetch(`${r.url}/api/health/ready`).then((x) => x.ok)))).every(Boolean);
  // What held readiness back, a second after the restart (the checks of each replica).
  const readinessAfter1s = sleep(1_000).then(() =>
    Promise.all(
      s.replicas.map((r) =>
        fetch(`${r.url}/api/health/ready`)
          .then((x) => x.json() as Promise<{ checks: unknown }>)
          .then((j) => j.checks),
      ),
    ),
  );
  const readyMs = await timeUntil(ready, 60_000, 50);
  // Calls that need the database work again: the first newcomer's call started after the restart.
  const firstNewcomerOk = await timeUntil(async () => probe.attempts.some((a) => a.ok && a.at >= upAt), 60_000, 50);
  await probe.stop();
  const newcomersDuring = probe.attempts.filter((a) => a.at >= downAt && a.at + a.ms < upAt);
  const newcomerFailures = newcomersDuring.filter((a) => !a.ok);
  const newcomerMessages = [...new Set(newcomerFailures.map((a) => failureShape(a.error ?? "")))];
  const slowestNewcomerFailure = Math.round(Math.max(0, ...newcomerFailures.map((a) => a.ms)));
  const recoveredAt = probe.attempts.filter((a) => a.ok && a.at >= upAt).reduce((m, a) => Math.min(m, a.at + a.ms), Infinity);
  const newcomerRecoveryMs = Math.round(recoveredAt - upAt);
  await sleep(SETTLE_MS);
  const to = performance.now();

  const during = s.load.window(stoppedAt, upAt);
  const whole = s.load.window(from, to);
  const lastFailureAt = Math.max(upAt, ...s.load.records.filter((r) => r.at >= upAt && r.at < to && !r.ok).map((r) => r.at + r.ms));
  const failuresStoppedMs = Math.round(lastFailureAt - upAt);
  const audit = await accountAudit(
    s,
    s.load.records.filter((r) => r.at >= from && r.at < to),
  );
  return {
    phase: `PostgreSQL stopped for ${outageSeconds} s under load, then started (no app restart)`,
    figures: [
      {
        what: "open-backend calls during the outage (no database needed) that kept working",
        value: `${during.byBackend.utils!.ok} of ${during.byBackend.utils!.ok + during.byBackend.utils!.failed}`,
        goal: "all",
        met: during.byBackend.utils!.failed === 0,
      },
      {
        what: "linked-backend (GitLab) calls during the outage, alice's token cached before it: ok / failed",
        value: `${during.byBackend.gitlab!.ok} / ${during.byBackend.gitlab!.failed}`,
        goal: "all keep working (a cached token is served while the database is away)",
        met: during.byBackend.gitlab!.failed === 0,
      },
      {
        what: "calls that need the database (a user's first call) during the outage: failed / tried",
        value: `${newcomerFailures.length} / ${newcomersDuring.length}`,
        goal: "fail (cannot record the user), fast and clearly",
        met: newcomerMessages.every((m) => failureKind(m) === "clear and retryable"),
      },
      {
        what: "slowest failed call during the outage (load and first calls)",
        value: `${Math.max(during.maxFailureMs, slowestNewcomerFailure)} ms`,
        goal: `≤ ${FAIL_FAST_MS} ms (fail fast)`,
        met: Math.max(during.maxFailureMs, slowestNewcomerFailure) <= FAIL_FAST_MS,
      },
      {
        what: "first call needing the database answered, after the restart",
        value: `${newcomerRecoveryMs} ms`,
        goal: `≤ ${RECOVERY_GOAL_MS} ms`,
        met: firstNewcomerOk !== Infinity && newcomerRecoveryMs <= RECOVERY_GOAL_MS,
      },
      {
        what: "both replicas ready again after the restart",
        value: `${Math.round(readyMs)} ms`,
        goal: `≤ ${RECOVERY_GOAL_MS} ms`,
        met: readyMs <= RECOVERY_GOAL_MS,
      },
      {
        what: "last failed call ended, after the restart",
        value: `${failuresStoppedMs} ms`,
        goal: `≤ ${RECOVERY_GOAL_MS} ms`,
        met: failuresStoppedMs <= RECOVERY_GOAL_MS,
      },
      {
        what: "audit rows of answered open-backend calls (the spool loses none)",
        value: `${audit.written} of ${audit.expected} (spools dropped ${audit.droppedBySpools})`,
        goal: "all written, none dropped",
        met: audit.lost === 0 && audit.droppedBySpools === 0,
      },
      failuresFigure(whole),
    ],
    load: whole,
    notes: newcomerMessages.map((m) => `a first call during the outage failed with (${failureKind(m)}): ${m}`),
    details: {
      readinessAfter1s: await readinessAfter1s,
      slowestFirstCallFailure: newcomerFailures
        .sort((x, y) => y.ms - x.ms)
        .slice(0, 3)
        .map((a) => ({ startedAfterStopMs: Math.round(a.at - stoppedAt), ms: Math.round(a.ms), error: a.error })),
      stopTookMs: Math.round(downAt - stoppedAt),
      during,
      audit,
    },
  };
}
