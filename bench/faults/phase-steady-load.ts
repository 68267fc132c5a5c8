// Phase 1: the steady load alone through the round-robin proxy: every call ok, sessions served by
// both replicas in turn, and the calls' latency as the baseline the fault phases are read against.
import type { FaultStack } from "@/bench/faults/fault-stack";
import { failuresFigure, percentile, sleep, type PhaseResult } from "@/bench/faults/figures";

export async function steadyLoadPhase(s: FaultStack, seconds: number, callsPerSecond: number): Promise<PhaseResult> {
  const sentBefore = s.proxy.sentTo();
  const from = performance.now();
  await sleep(seconds * 1000);
  const to = performance.now();
  await sleep(1_000); // the window's last calls answer
  const load = s.load.window(from, to);
  const ms = s.load.records.filter((r) => r.at >= from && r.at < to).map((r) => r.ms);
  const sent = s.proxy.sentTo();
  const perReplica = Object.keys(sent).map((name) => `${name} ${sent[name]! - (sentBefore[name] ?? 0)}`);
  const rate = load.calls / seconds;
  return {
    phase: `Steady load through the round-robin proxy (${seconds} s, no fault)`,
    figures: [
      {
        what: "calls answered ok",
        value: `${load.ok} of ${load.calls} (${rate.toFixed(1)} calls/s)`,
        goal: `all, at ~${callsPerSecond} calls/s`,
        met: load.failed === 0 && rate >= callsPerSecond * 0.9,
      },
      {
        what: "call latency p50 / p99",
        value: `${Math.round(percentile(ms, 50))} / ${Math.round(percentile(ms, 99))} ms`,
        goal: "reference for the phases below",
        met: "measured",
      },
      {
        what: "requests per replica (one session's requests alternate)",
        value: perReplica.join(", "),
        goal: "both replicas serve",
        met: perReplica.length >= 2 && perReplica.every((p) => !p.endsWith(" 0")),
      },
      failuresFigure(load),
    ],
    load,
  };
}
