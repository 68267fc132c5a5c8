// The fault suite (`npm run faults`; `-- --short` in CI): two replicas on a private PostgreSQL behind
// a round-robin proxy, a steady MCP load as alice through it, and one fault at a time under that
// load (bench/faults/phase-*.ts): changes propagating between replicas, a hung backend, kill -9 in the
// middle of a refresh, SIGTERM with calls in flight, and PostgreSQL stopped and started again (last:
// the others must not run on a database that has just come back). Writes bench/results/faults.{md,json};
// exits 1 when a goal is not met.
import { cpus, loadavg } from "node:os";
import { startFaultStack } from "@/bench/faults/fault-stack";
import { verdictOf, type PhaseResult } from "@/bench/faults/figures";
import { hungBackendPhase } from "@/bench/faults/phase-hung-backend";
import { killMidRefreshPhase } from "@/bench/faults/phase-kill-refresh";
import { postgresOutagePhase } from "@/bench/faults/phase-postgres-outage";
import { propagationPhase } from "@/bench/faults/phase-propagation";
import { sigtermPhase } from "@/bench/faults/phase-sigterm";
import { steadyLoadPhase } from "@/bench/faults/phase-steady-load";
import { allMet, writeReport, type FaultReport } from "@/bench/faults/write-report";

const short = process.argv.includes("--short");
const CALLS_PER_SECOND = 25;
const CLIENTS = 4;
const plan = short
  ? { steadySeconds: 5, trials: 5, lists: 20, outageSeconds: 5 }
  : { steadySeconds: 20, trials: 30, lists: 60, outageSeconds: 30 };

const loadAverage = loadavg();
const s = await startFaultStack({ callsPerSecond: CALLS_PER_SECOND, clients: CLIENTS });
const phases: PhaseResult[] = [];
const step = async (name: string, run: () => Promise<PhaseResult>) => {
  console.log(`faults: ${name}…`);
  const result = await run();
  phases.push(result);
  for (const f of result.figures) console.log(`  ${verdictOf(f).padEnd(8)} ${f.what}: ${f.value}`);
};
try {
  await step("steady load", () => steadyLoadPhase(s, plan.steadySeconds, CALLS_PER_SECOND));
  await step("propagation", () => propagationPhase(s, plan.trials));
  await step("hung backend", () => hungBackendPhase(s, plan.lists));
  await step("kill -9 mid-refresh", () => killMidRefreshPhase(s));
  await step("SIGTERM under load", () => sigtermPhase(s));
  await step("PostgreSQL outage", () => postgresOutagePhase(s, plan.outageSeconds));
} finally {
  await s.close();
}
const report: FaultReport = {
  at: new Date().toISOString(),
  short,
  machine: { cpus: cpus().length, loadAverage },
  load: { callsPerSecond: CALLS_PER_SECOND, clients: CLIENTS, replicas: 2 },
  phases,
};
writeReport(report);
console.log(`faults: ${allMet(report) ? "every goal met" : "some goals NOT met"} (bench/results/faults.md)`);
process.exit(allMet(report) ? 0 : 1);
