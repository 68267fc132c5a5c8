// tools/call, side by side: for each outgoing auth mode and concurrency, runs alternate between the
// direct call and the call through the gateway (direct first on even runs, gateway first on odd
// ones), so both share the machine's conditions; each metric is the median over the runs.
import { cpuSeconds } from "@/bench/app-process";
import type { LoadGenerator } from "@/bench/load";
import type { LoadJob, LoadResult, Target } from "@/bench/load-protocol";
import type { BenchOptions } from "@/bench/options";
import { median } from "@/bench/stats";
import { MODES, pairFor, type Mode } from "@/bench/targets";
import type { Stack } from "@/e2e/stack";

export interface Side {
  /** Medians over the runs, microseconds. */
  p50Us: number;
  p90Us: number;
  p99Us: number;
  /** Median calls per second. */
  throughput: number;
  /** Median CPU time per call: the app's (where the gateway runs) and this process's (the backends). */
  appCpuUs: number;
  backendCpuUs: number;
  calls: number;
  errors: number;
  errorSample?: string;
}

export interface CallCell {
  mode: Mode;
  tools: { direct: string; gateway: string };
  concurrency: number;
  direct: Side;
  gateway: Side;
  addedP50Us: number;
  addedP99Us: number;
  /** gateway throughput / direct throughput. */
  throughputRatio: number;
  runs: { direct: RunResult; gateway: RunResult }[];
}

/** A load run and the CPU each process spent on it, per call. */
export type RunResult = LoadResult & { cpuUsPerCall: { app: number; backends: number; load: number } };

const WARM_SECONDS = 1.5;
const MAX_SEQUENTIAL_SECONDS = 90;

export function job(target: Target, concurrency: number, o: BenchOptions): LoadJob {
  if (concurrency === 1) return { kind: "sequential", target, requests: o.sequential, maxSeconds: MAX_SEQUENTIAL_SECONDS };
  return { kind: "concurrent", target, connections: concurrency, seconds: o.seconds };
}

export async function measured(load: LoadGenerator, appPid: number, j: LoadJob): Promise<RunResult> {
  const pids = { app: appPid, backends: process.pid, load: load.pid };
  const before = { app: cpuSeconds(pids.app), backends: cpuSeconds(pids.backends), load: cpuSeconds(pids.load) };
  const result = await load.run(j);
  const per = (k: keyof typeof pids) => ((cpuSeconds(pids[k]) - before[k]) * 1e6) / Math.max(1, result.ok);
  return { ...result, cpuUsPerCall: { app: per("app"), backends: per("backends"), load: per("load") } };
}

export function side(results: RunResult[]): Side {
  const errors = results.reduce((n, r) => n + r.errors, 0);
  return {
    p50Us: median(results.map((r) => r.latency.p50)),
    p90Us: median(results.map((r) => r.latency.p90)),
    p99Us: median(results.map((r) => r.latency.p99)),
    throughput: median(results.map((r) => r.throughput)),
    appCpuUs: median(results.map((r) => r.cpuUsPerCall.app)),
    backendCpuUs: median(results.map((r) => r.cpuUsPerCall.backends)),
    calls: results.reduce((n, r) => n + r.ok, 0),
    errors,
    errorSample: results.find((r) => r.errorSample)?.errorSample,
  };
}

export async function measureCalls(o: {
  stack: Stack;
  appPid: number;
  load: LoadGenerator;
  options: BenchOptions;
  log(line: string): void;
}): Promise<CallCell[]> {
  const cells: CallCell[] = [];
  for (const mode of MODES) {
    const pair = await pairFor(o.stack, mode);
    for (const target of [pair.direct, pair.gateway]) {
      const warm = await o.load.run({ kind: "concurrent", target, connections: 16, seconds: WARM_SECONDS });
      if (warm.ok === 0) throw new Error(`${target.name}: no good answer while warming up: ${warm.errorSample}`);
    }
    for (const concurrency of o.options.concurrencies) {
      const runs: CallCell["runs"] = [];
      for (let r = 0; r < o.options.runs; r++) {
        const order = r % 2 === 0 ? (["direct", "gateway"] as const) : (["gateway", "direct"] as const);
        const run = {} as CallCell["runs"][number];
        for (const which of order) run[which] = await measured(o.load, o.appPid, job(pair[which], concurrency, o.options));
        runs.push(run);
      }
      const direct = side(runs.map((r) => r.direct));
      const gateway = side(runs.map((r) => r.gateway));
      const cell: CallCell = {
        mode,
        tools: pair.tools,
        concurrency,
        direct,
        gateway,
        addedP50Us: gateway.p50Us - direct.p50Us,
        addedP99Us: gateway.p99Us - direct.p99Us,
        throughputRatio: gateway.throughput / direct.throughput,
        runs,
      };
      cells.push(cell);
      o.log(
        `${mode} c=${concurrency}: p50 ${us(direct.p50Us)} → ${us(gateway.p50Us)}, p99 ${us(direct.p99Us)} → ${us(gateway.p99Us)}, ` +
          `${direct.throughput.toFixed(0)} → ${gateway.throughput.toFixed(0)} calls/s (${(cell.throughputRatio * 100).toFixed(0)} %), app CPU ${us(gateway.appCpuUs)}/call` +
          (direct.errors + gateway.errors
            ? `, ERRORS ${direct.errors}/${gateway.errors}: ${direct.errorSample ?? gateway.errorSample}`
            : ""),
      );
    }
  }
  return cells;
}

const us = (v: number) => `${Math.round(v)} µs`;
