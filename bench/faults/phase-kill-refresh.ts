// Phase 4: a replica killed (SIGKILL) at each step of a refresh, under load. bob's GitLab token is
// made due (expired in the database, dropped from every replica's cache); a third app process
// (testkit/refresh-kill-worker.ts, the refresh kill hook) starts the refresh and dies at the step;
// then bob's next call on replica B must refresh and succeed, and the GitLab stand-in must have
// refused no refresh token (invalid_grant would mean the link was lost).
import { spawn } from "node:child_process";
import type { FaultStack } from "@/bench/faults/fault-stack";
import { failuresFigure, type Figure, type PhaseResult } from "@/bench/faults/figures";
import { connectClient } from "@/bench/faults/load-driver";
import { emitChange } from "@/lib/events";
import type { RefreshStep } from "@/lib/links/refresh-steps";

const STEPS: RefreshStep[] = ["claimed", "read", "persisted", "released"];
const NEXT_CALL_GOAL_MS = 5_000;

interface StepOutcome {
  step: RefreshStep;
  killed: boolean;
  nextCallOk: boolean;
  nextCallMs: number;
  invalidGrants: number;
  error?: string;
}

export async function killMidRefreshPhase(s: FaultStack): Promise<PhaseResult> {
  const from = performance.now();
  await s.linkGitLab("bob");
  const bob = { userId: await s.userIdOf("bob"), providerId: s.providerId };
  let token = await s.tokenFor("bob");
  const b = s.replicas.find((r) => r.name === "B")!;
  const bobOnB = await connectClient(`${b.url}/api/mcp`, () => token, "faults-kill-probe");
  const outcomes: StepOutcome[] = [];
  for (const step of STEPS) {
    token = await s.tokenFor("bob");
    await s.db.prisma.linkedAccount.update({ where: { userId_providerId: bob }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await emitChange({ kind: "link", ...bob });
    const refusedBefore = s.world.gitlab.counters.refreshFailures;
    const worker = spawn(process.execPath, ["--import", "tsx", "testkit/refresh-kill-worker.ts", bob.userId, bob.providerId, step], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...s.appEnv, NODE_ENV: "test" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => worker.once("exit", (_code, sig) => resolve(sig)));
    const at = performance.now();
    const result = await bobOnB
      .callTool({ name: "gitlab_get_current_user", arguments: {} })
      .catch((e: Error) => ({ isError: true, content: [{ type: "text", text: e.message }] }));
    const nextCallMs = Math.round(performance.now() - at);
    outcomes.push({
      step,
      killed: signal === "SIGKILL",
      nextCallOk: !result.isError,
      nextCallMs,
      invalidGrants: s.world.gitlab.counters.refreshFailures - refusedBefore,
      ...(result.isError ? { error: (result.content as { text?: string }[])[0]?.text } : {}),
    });
  }
  await bobOnB.close();
  const load = s.load.window(from, performance.now());
  const figures: Figure[] = outcomes.map((o) => ({
    what: `killed at "${o.step}"${o.killed ? "" : " (the step was not reached)"} → bob's next call on B (refused refresh tokens: ${o.invalidGrants})`,
    value: o.nextCallOk ? `ok in ${o.nextCallMs} ms` : `failed in ${o.nextCallMs} ms: ${o.error ?? ""}`,
    goal: `killed, ok within ${NEXT_CALL_GOAL_MS} ms, no invalid_grant`,
    met: o.killed && o.nextCallOk && o.nextCallMs <= NEXT_CALL_GOAL_MS && o.invalidGrants === 0,
  }));
  return {
    phase: "kill -9 in the middle of a refresh, at each step",
    figures: [...figures, failuresFigure(load)],
    load,
    details: outcomes,
  };
}
