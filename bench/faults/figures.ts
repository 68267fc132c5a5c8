// The fault suite's arithmetic: nearest-rank percentiles over trial times (a missed trial counts as
// Infinity and is reported apart), and a phase's figures as both the JSON and the report read them.
import type { LoadWindow } from "@/bench/faults/load-driver";

export interface TrialSummary {
  trials: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  missed: number;
}

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export function summarizeTrials(xs: number[]): TrialSummary {
  const seen = xs.filter((x) => x !== Infinity);
  return {
    trials: xs.length,
    p50Ms: Math.round(percentile(seen, 50)),
    p99Ms: Math.round(percentile(seen, 99)),
    maxMs: Math.round(Math.max(0, ...seen)),
    missed: xs.length - seen.length,
  };
}

/** One row of a phase's table: a measured figure, its goal, and whether the goal was met ("measured": no goal, a reference). */
export interface Figure {
  what: string;
  value: string;
  goal: string;
  met: boolean | "measured";
}

export const verdictOf = (f: Figure) => (f.met === "measured" ? "measured" : f.met ? "met" : "NOT met");

export interface PhaseResult {
  phase: string;
  figures: Figure[];
  /** The steady load's calls during the phase. */
  load: LoadWindow;
  notes?: string[];
  details?: unknown;
}

/** The load's failures all clear and retryable (the goal every phase shares). */
export function failuresFigure(load: LoadWindow): Figure {
  const bad = load.failures.filter((f) => f.kind !== "clear and retryable").reduce((n, f) => n + f.count, 0);
  return {
    what: "load failures that were not a clear, retryable message",
    value: `${bad} of ${load.failed}`,
    goal: "0 (no driver text, no database host)",
    met: bad === 0,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds; the time it took, or Infinity after `patienceMs`. */
export async function timeUntil(check: () => Promise<boolean>, patienceMs: number, everyMs = 0): Promise<number> {
  const at = performance.now();
  while (performance.now() - at < patienceMs) {
    if (await check().catch(() => false)) return performance.now() - at;
    if (everyMs) await sleep(everyMs);
  }
  return Infinity;
}
