// The performance goals, checked against one run's numbers. A goal measured with errors is not met.
import type { CallCell } from "@/bench/scenarios/calls";
import type { ListResult } from "@/bench/scenarios/lists";
import type { ScaleResult } from "@/bench/scenarios/scale";
import type { StormResult } from "@/bench/scenarios/storm";
import { MODES } from "@/bench/targets";

export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

export const LIMITS = {
  addedP50Us: 300,
  addedP99Us: 2000,
  throughputRatio: 0.85,
  appCpuUs: 110,
  cachedListP50Us: 5000,
  stormRefreshes: 1,
  peakRssMb: 300,
  firstStartPeakRssMb: 400,
  /** Added latency at 100 backends may exceed that at 1 backend by this fraction. */
  backendsGrowth: 0.1,
  usersRssMb: 300,
};

export function checkGoals(r: {
  calls: CallCell[];
  lists: ListResult;
  storm: StormResult;
  peakRssMb: number;
  firstStartPeakRssMb: number;
  scale?: ScaleResult;
}): Goal[] {
  const goals: Goal[] = [];
  const clean = (c: CallCell) => c.direct.errors + c.gateway.errors === 0;
  for (const mode of MODES) {
    const c1 = r.calls.find((c) => c.mode === mode && c.concurrency === 1);
    if (c1) {
      goals.push({
        goal: `${mode}: added latency at c=1, p50 ≤ 0.3 ms and p99 ≤ 2 ms`,
        measured: `p50 ${signed(c1.addedP50Us)}, p99 ${signed(c1.addedP99Us)}${clean(c1) ? "" : " (with errors)"}`,
        met: clean(c1) && c1.addedP50Us <= LIMITS.addedP50Us && c1.addedP99Us <= LIMITS.addedP99Us,
      });
    }
    const loaded = r.calls.filter((c) => c.mode === mode && c.concurrency > 1);
    if (loaded.length) {
      goals.push({
        goal: `${mode}: throughput through the gateway ≥ 85 % of direct at c=${loaded.map((c) => c.concurrency).join(" and ")}`,
        measured: loaded.map((c) => `${pct(c.throughputRatio)} at c=${c.concurrency}${clean(c) ? "" : " (with errors)"}`).join(", "),
        met: loaded.every((c) => clean(c) && c.throughputRatio >= LIMITS.throughputRatio),
      });
    }
  }
  const loadedCpu = r.calls.filter((c) => c.concurrency > 1);
  if (loadedCpu.length) {
    const worst = loadedCpu.reduce((a, b) => (b.gateway.appCpuUs > a.gateway.appCpuUs ? b : a));
    goals.push({
      goal: "app CPU per gateway call ≤ 110 µs (every mode, c=16 and c=64)",
      measured: `at most ${fmtMs(worst.gateway.appCpuUs)} (${worst.mode}, c=${worst.concurrency})`,
      met: loadedCpu.every((c) => c.gateway.appCpuUs <= LIMITS.appCpuUs),
    });
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
  goals.push({
    goal: "first start on an empty data folder: peak RSS ≤ 400 MB",
    measured: `${r.firstStartPeakRssMb.toFixed(0)} MB`,
    met: r.firstStartPeakRssMb <= LIMITS.firstStartPeakRssMb,
  });
  if (r.scale) goals.push(...scaleGoals(r.scale));
  return goals;
}

export const fmtMs = (us: number) => (Math.abs(us) < 1000 ? `${Math.round(us)} µs` : `${(us / 1000).toFixed(2)} ms`);
export const signed = (us: number) => (us >= 0 ? `+${fmtMs(us)}` : `−${fmtMs(-us)}`);
export const pct = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;

function scaleGoals(scale: ScaleResult): Goal[] {
  const goals: Goal[] = [];
  const at = (n: number) => scale.calls.find((c) => c.backends === n);
  const one = at(1);
  const hundred = at(100);
  if (one && hundred) {
    const allowed = Math.max(one.addedP50Us * (1 + LIMITS.backendsGrowth), one.addedP50Us + 20);
    goals.push({
      goal: "added p50 latency at 100 backends within 10 % of that at 1 backend",
      measured: `${signed(one.addedP50Us)} at 1, ${signed(hundred.addedP50Us)} at 100`,
      met: one.errors + hundred.errors === 0 && hundred.addedP50Us <= allowed,
    });
  }
  const storm = scale.replicaStorm;
  if (storm) {
    goals.push({
      goal: `refresh storm across ${storm.replicas} replicas (${storm.calls} calls): exactly 1 refresh`,
      measured: `${storm.refreshes} refresh(es), ${storm.errors} errors`,
      met: storm.refreshes === LIMITS.stormRefreshes && storm.errors === 0 && storm.refreshesBefore === 0 && storm.refreshesAfter === 0,
    });
  }
  const list100 = scale.lists.find((l) => l.backends === 100);
  goals.push({
    goal: "cached tools/list over 100 backends: p50 ≤ 5 ms",
    measured: list100 ? `p50 ${fmtMs(list100.p50Us)} (${list100.tools} tools)` : "not measured",
    met: !!list100 && list100.errors === 0 && list100.p50Us <= LIMITS.cachedListP50Us,
  });
  const most = scale.users.at(-1);
  goals.push({
    goal: "RSS with 10,000 users holding cached credentials ≤ 300 MB",
    measured: most ? `${most.rssMb.toFixed(0)} MB at ${most.users} users (${most.errors} errors)` : "not measured",
    met: !!most && most.users >= 10_000 && most.errors === 0 && most.rssMb <= LIMITS.usersRssMb,
  });
  return goals;
}
