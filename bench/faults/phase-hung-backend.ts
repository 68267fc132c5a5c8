// Phase 6: a backend that accepts connections and never answers is added to the catalog under load.
// tools/list must stay within LIST_BUDGET_MS (the hung backend's list is skipped, then its breaker
// opens), calls to the other backends must not notice, and calls to the hung one end at its timeout
// with a clear message.
import { createServer, type Socket } from "node:net";
import { failureKind } from "@/bench/faults/failure-kinds";
import { FAULT_ENV, type FaultStack } from "@/bench/faults/fault-stack";
import { failuresFigure, percentile, sleep, type PhaseResult } from "@/bench/faults/figures";
import { connectClient } from "@/bench/faults/load-driver";
import { createBackend } from "@/lib/backends/create-backend";
import { deleteBackend } from "@/lib/backends/delete-backend";

const HUNG_TIMEOUT_MS = 3_000;
const LIST_MARGIN_MS = 250;
const HUNG_CALLS = 4;

export async function hungBackendPhase(s: FaultStack, lists: number): Promise<PhaseResult> {
  const sockets = new Set<Socket>();
  const hung = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(hung.address() as { port: number }).port}/mcp`;
  const backend = await createBackend(
    { slug: "hung", displayName: "Hung", url, auth: { mode: "none" }, timeoutMs: HUNG_TIMEOUT_MS },
    { userId: null },
  );
  await sleep(500);

  const from = performance.now();
  const token = await s.tokenFor("alice");
  const client = await connectClient(`${s.proxy.url}/api/mcp`, () => token, "faults-lists");
  const listMs: number[] = [];
  for (let i = 0; i < lists; i++) {
    const at = performance.now();
    await client.listTools();
    listMs.push(performance.now() - at);
  }
  const hungCalls = await Promise.all(
    Array.from({ length: HUNG_CALLS }, async () => {
      const at = performance.now();
      const result = await client.callTool({ name: "hung_whoami", arguments: {} }, undefined, { timeout: 30_000 }).then(
        (r) => ({ ok: !r.isError, message: (r.content as { text?: string }[])[0]?.text ?? "" }),
        (e: Error) => ({ ok: false, message: e.message }),
      );
      return { ...result, ms: performance.now() - at };
    }),
  );
  const load = s.load.window(from, performance.now());
  await client.close();
  await deleteBackend(backend.id, { userId: null });
  for (const socket of sockets) socket.destroy();
  hung.close();

  const budget = Number(FAULT_ENV.LIST_BUDGET_MS);
  const p50 = Math.round(percentile(listMs, 50));
  const p99 = Math.round(percentile(listMs, 99));
  const slowestHung = Math.round(Math.max(...hungCalls.map((c) => c.ms)));
  const fastestHung = Math.round(Math.min(...hungCalls.map((c) => c.ms)));
  const messages = [...new Set(hungCalls.map((c) => c.message))];
  return {
    phase: "A hung backend (accepts, never answers) in the catalog, under load",
    figures: [
      {
        what: `tools/list through the proxy: p50 ${p50} ms (${lists} lists)`,
        value: `${p99} ms p99`,
        goal: `≤ LIST_BUDGET_MS ${budget} + ${LIST_MARGIN_MS} ms`,
        met: p99 <= budget + LIST_MARGIN_MS,
      },
      {
        what: "load calls to the other backends during the phase: ok / failed",
        value: `${load.ok} / ${load.failed}`,
        goal: "0 failed",
        met: load.failed === 0,
      },
      {
        what: `calls to the hung backend (timeout ${HUNG_TIMEOUT_MS} ms) ended after`,
        value: `${fastestHung}–${slowestHung} ms, ${hungCalls.filter((c) => !c.ok).length} of ${HUNG_CALLS} failed`,
        goal: `all fail at the timeout (≤ ${HUNG_TIMEOUT_MS + 1_000} ms), clear message`,
        met:
          hungCalls.every((c) => !c.ok && c.ms <= HUNG_TIMEOUT_MS + 1_000) &&
          messages.every((m) => failureKind(m) === "clear and retryable"),
      },
      failuresFigure(load),
    ],
    load,
    notes: messages.map((m) => `hung backend's call failed with: ${m}`),
    details: { listMs: listMs.map(Math.round) },
  };
}
