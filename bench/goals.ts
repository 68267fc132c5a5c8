// Issue 6's goals, checked against one run's numbers. A goal measured with errors is not met.
import type { CallCell } from "@/bench/scenarios/calls";
import type { ListResult } from "@/bench/scenarios/lists";
import type { StormResult } from "@/bench/scenarios/storm";
import { MODES } from "@/bench/targets";

export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

export const LIMITS = { addedP50Us: 500, addedP99Us: 2000, throughputRatio: 0.8, cachedListP50Us: 5000, stormRefreshes: 1, peakRssMb: 300 };

export function checkGoals(r: { calls: CallCell[]; lists: ListResult; storm: StormResult; peakRssMb: number }): Goal[] {
  const goals: Goal[] = [];
  const clean = (c: CallCell) => c.direct.errors + c.gateway.errors === 0;
  for (const mode of MODES) {
    const c1 = r.calls.find((c) => c.mode === mode && c.concurrency === 1);
    if (c1) {
      goals.push({
        goal: `${mode}: added latency at c=1, p50 ≤ 0.5 ms and p99 ≤ 2 ms`,
        measured: `p50 ${signed(c1.addedP50Us)}, p99 ${signed(c1.addedP99Us)}${clean(c1) ? "" : " (with errors)"}`,
        met: clean(c1) && c1.addedP50Us <= LIMITS.addedP50Us && c1.addedP99Us <= LIMITS.addedP99Us,
      });
    }
    const loaded = r.calls.filter((c) => c.mode === mode && c.concurrency > 1);
    if (loaded.length) {
      goals.push({
        goal: `${mode}: throughput through the gateway ≥ 80 % of direct at c=${loaded.map((c) => c.concurrency).join(" and ")}`,
        measured: loaded.map((c) => `${pct(c.throughputRatio)} at c=${c.concurrency}${clean(c) ? "" : " (with errors)"}`).join(", "),
        met: loaded.every((c) => clean(c) && c.throughputRatio >= LIMITS.throughputRatio),
      });
    }
  }
  goals.push({
    goal: `cached tools/list over ${r.lists.backends} backends: p50 ≤ 5 ms`,
    measured: `p50 ${fmtMs(r.lists.cached.p50)} (${r.lists.tools} tools)${r.lists.errors ? ` (${r.lists.errors} errors)` : ""}`,
    met: r.lists.errors === 0 && r.lists.backends === 10 && r.lists.cached.p50 <= LIMITS.cachedListP50Us,
  });
  goals.push({
    goal: `refresh storm (${r.storm.calls} concurrent calls): exactly 1 refresh`,
    measured: `${r.storm.refreshes} refresh(es), ${r.storm.errors} errors`,
    met:
      r.storm.refreshes === LIMITS.stormRefreshes && r.storm.errors === 0 && r.storm.refreshesBefore === 0 && r.storm.refreshesAfter === 0,
  });
  goals.push({ goal: "the app's peak RSS ≤ 300 MB", measured: `${r.peakRssMb.toFixed(0)} MB`, met: r.peakRssMb <= LIMITS.peakRssMb });
  return goals;
}

export const fmtMs = (us: number) => (Math.abs(us) < 1000 ? `${Math.round(us)} µs` : `${(us / 1000).toFixed(2)} ms`);
export const signed = (us: number) => (us >= 0 ? `+${fmtMs(us)}` : `−${fmtMs(-us)}`);
export const pct = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
