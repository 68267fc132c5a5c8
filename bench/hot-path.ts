// `npx tsx bench/hot-path.ts`: the app's CPU time per tools/call through the gateway, per outgoing
// auth mode, without the direct side or the other scenarios — a quick before/after check of the
// per-call path on a shared machine, where CPU time per call moves far less than throughput does.
// --profile profiles only the measured calls (from a SIGUSR2 to the app's exit) and prints the
// functions with the most self time. Nothing is written to bench/results/latest.*.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { cpuSeconds } from "@/bench/app-process";
import { startBenchStack } from "@/bench/bench-stack";
import { linkGitLab } from "@/bench/link-account";
import { startLoadGenerator } from "@/bench/load";
import { hotFunctions, hotFunctionsTable } from "@/bench/profile-summary";
import { median } from "@/bench/stats";
import { MODES, pairFor, type Mode } from "@/bench/targets";

const PROFILE_DIR = "bench/results/profiles";

async function main() {
  const { values } = parseArgs({
    options: {
      modes: { type: "string", default: MODES.join(";") },
      concurrency: { type: "string", default: "16" },
      seconds: { type: "string", default: "3" },
      runs: { type: "string", default: "3" },
      profile: { type: "boolean", default: false },
    },
  });
  const modes = values.modes.split(";").map((m) => m.trim()) as Mode[];
  const unknown = modes.filter((m) => !MODES.includes(m));
  if (unknown.length) throw new Error(`unknown mode(s) ${unknown.join(", ")}: use ${MODES.join("; ")}`);
  const connections = Number(values.concurrency);
  const seconds = Number(values.seconds);
  const runs = Number(values.runs);

  const stack = await startBenchStack({ profileDir: values.profile ? PROFILE_DIR : undefined, profileOnSignal: true });
  const load = await startLoadGenerator();
  try {
    if (modes.includes("linked_account")) {
      await linkGitLab({
        appUrl: stack.appUrl,
        world: stack.world,
        keycloak: { username: "alice", password: "alice-password" },
        gitlab: { username: "alice", password: "alice-gitlab" },
      });
    }
    const pairs = [];
    for (const mode of modes) {
      const pair = await pairFor(stack, mode);
      const warm = await load.run({ kind: "concurrent", target: pair.gateway, connections, seconds: 2 });
      if (warm.ok === 0) throw new Error(`${mode}: no good answer while warming up: ${warm.errorSample}`);
      pairs.push(pair);
    }
    if (values.profile) process.kill(stack.serverPid, "SIGUSR2");
    console.log(`| mode | app CPU per call (median of ${runs}) | runs | calls/s | errors |\n| --- | ---: | --- | ---: | ---: |`);
    for (const pair of pairs) {
      const perCall: number[] = [];
      const rates: number[] = [];
      let errors = 0;
      for (let r = 0; r < runs; r++) {
        const before = cpuSeconds(stack.serverPid);
        const result = await load.run({ kind: "concurrent", target: pair.gateway, connections, seconds });
        perCall.push(((cpuSeconds(stack.serverPid) - before) * 1e6) / Math.max(1, result.ok));
        rates.push(result.throughput);
        errors += result.errors;
      }
      const list = perCall.map((v) => Math.round(v)).join(", ");
      console.log(`| ${pair.mode} | ${Math.round(median(perCall))} µs | ${list} | ${Math.round(median(rates))} | ${errors} |`);
    }
  } finally {
    await load.close();
    await stack.close({ keepData: false });
  }
  if (values.profile) printProfile();
}

function printProfile() {
  const newest = readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(PROFILE_DIR, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) return console.log("no CPU profile was written");
  const hot = hotFunctions(newest, 40);
  console.log(
    `\n## ${newest} (${(hot.busyMs / 1000).toFixed(1)} s busy)\n\n${hotFunctionsTable(hot.total)}\n\n${hotFunctionsTable(hot.project)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
