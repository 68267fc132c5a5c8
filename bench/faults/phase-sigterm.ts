// Phase 5: SIGTERM to replica A under load with slow calls in flight on it. Readiness must answer
// 503 first, the slow calls complete, the proxy moves new requests to B, no load call fails, and the
// process exits once its calls are done. Replica A is then started again for the phases after.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { FaultStack } from "@/bench/faults/fault-stack";
import { failuresFigure, sleep, timeUntil, type PhaseResult } from "@/bench/faults/figures";
import { connectClient } from "@/bench/faults/load-driver";
import { READINESS_NOTICE_MS } from "@/lib/health/graceful-shutdown";

const SLOW_CALLS = 6;
const SLOW_CALL_MS = 4_000;

export async function sigtermPhase(s: FaultStack): Promise<PhaseResult> {
  const from = performance.now();
  const a = s.replicas.find((r) => r.name === "A")!;
  const token = await s.tokenFor("alice");
  const onA = await connectClient(`${a.url}/api/mcp`, () => token, "faults-slow");
  const slow = Array.from({ length: SLOW_CALLS }, () =>
    onA.callTool({ name: "utils_sleep", arguments: { ms: SLOW_CALL_MS } }, undefined, { timeout: 60_000 }).then(
      (r) => !(r as CallToolResult).isError,
      () => false,
    ),
  );
  await sleep(500);
  const signalledAt = performance.now();
  a.child.kill("SIGTERM");
  const notReadyMs = await timeUntil(async () => (await fetch(`${a.url}/api/health/ready`)).status === 503, 10_000);
  // The proxy probes readiness every 100 ms: past two probes, nothing new may go to A.
  await sleep(250);
  const sentOnceSeen = s.proxy.sentTo().A ?? 0;
  const completed = (await Promise.all(slow)).filter(Boolean).length;
  const exit = await a.exited;
  const shutdownMs = performance.now() - signalledAt;
  const sentLate = (s.proxy.sentTo().A ?? 0) - sentOnceSeen;
  await sleep(2_000);
  const load = s.load.window(from, performance.now());
  await onA.close().catch(() => undefined);

  s.proxy.remove("A");
  s.replicas.splice(s.replicas.indexOf(a), 1);
  await s.addReplica("A");
  return {
    phase: "SIGTERM to replica A under load, slow calls in flight on it",
    figures: [
      {
        what: "readiness answered 503 after SIGTERM",
        value: `${Math.round(notReadyMs)} ms`,
        goal: `before the listener closes (${READINESS_NOTICE_MS} ms)`,
        met: notReadyMs < READINESS_NOTICE_MS,
      },
      {
        what: `slow calls (${SLOW_CALL_MS} ms) in flight on A that completed`,
        value: `${completed} of ${SLOW_CALLS}`,
        goal: "all",
        met: completed === SLOW_CALLS,
      },
      { what: "load calls failed from SIGTERM to exit (+2 s)", value: String(load.failed), goal: "0", met: load.failed === 0 },
      {
        what: "new requests the proxy sent to A once its probes had seen 503 (they went to B)",
        value: String(sentLate),
        goal: "0",
        met: sentLate === 0,
      },
      {
        what: "shutdown time (SIGTERM → exit, calls in flight)",
        value: `${Math.round(shutdownMs)} ms (exit ${exit})`,
        goal: "exit 0 within the grace (25 s)",
        met: exit === 0 && shutdownMs < 25_000,
      },
      failuresFigure(load),
    ],
    load,
  };
}
