// `npx tsx bench/hot-path.ts`: the app's CPU time per tools/call through the gateway, per outgoing
// auth mode, without the direct side or the other scenarios — a quick check of the per-call path on a
// shared machine, where CPU time per call moves far less than throughput does.
// --compare <dir> runs a second app from another checkout (say, `git archive` of the last commit,
// with node_modules, .next and lib/db/generated linked in) and alternates runs between the two, so a
// before/after pair shares the machine's conditions. --profile profiles only the measured calls
// (from a SIGUSR2 to the app's exit) and prints the functions with the most self time. Nothing is
// written to bench/results/latest.*.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { cpuSeconds } from "@/bench/app-process";
import { startBenchStack, type BenchStack } from "@/bench/bench-stack";
import { linkGitLab } from "@/bench/link-account";
import { startLoadGenerator, type LoadGenerator } from "@/bench/load";
import { hotFunctions, hotFunctionsTable } from "@/bench/profile-summary";
import { median } from "@/bench/stats";
import { MODES, pairFor, type Mode, type Pair } from "@/bench/targets";

const PROFILE_DIR = "bench/results/profiles";

interface App {
  name: string;
  stack: BenchStack;
  pairs: Pair[];
}

async function main() {
  const { values } = parseArgs({
    options: {
      modes: { type: "string", default: MODES.join(";") },
      concurrency: { type: "string", default: "16" },
      seconds: { type: "string", default: "3" },
      runs: { type: "string", default: "3" },
      compare: { type: "string" },
      profile: { type: "boolean", default: false },
    },
  });
  const modes = values.modes.split(";").map((m) => m.trim()) as Mode[];
  const unknown = modes.filter((m) => !MODES.includes(m));
  if (unknown.length) throw new Error(`unknown mode(s) ${unknown.join(", ")}: use ${MODES.join("; ")}`);
  const job = { connections: Number(values.concurrency), seconds: Number(values.seconds) };
  const runs = Number(values.runs);

  const load = await startLoadGenerator();
  const apps: App[] = [];
  try {
    const checkouts = [
      { name: "this checkout" },
      ...(values.compare ? [{ name: values.compare, appDir: path.resolve(values.compare) }] : []),
    ];
    for (const checkout of checkouts) {
      const stack = await startBenchStack({
        profileDir: values.profile ? PROFILE_DIR : undefined,
        profileOnSignal: true,
        appDir: checkout.appDir,
      });
      apps.push({ name: checkout.name, stack, pairs: [] });
      apps.at(-1)!.pairs = await preparePairs(stack, load, modes, job.connections);
    }
    if (values.profile) for (const app of apps) process.kill(app.stack.serverPid, "SIGUSR2");
    const header = apps.map((a) => `app CPU per call, ${a.name}`).join(" | ");
    console.log(`| mode | ${header} | calls/s | errors |\n| --- | ${apps.map(() => "---:").join(" | ")} | --- | ---: |`);
    for (let m = 0; m < modes.length; m++) {
      const perCall = apps.map(() => [] as number[]);
      const rates = apps.map(() => [] as number[]);
      let errors = 0;
      for (let r = 0; r < runs; r++) {
        // Which app goes first alternates, so neither always runs on a machine the other warmed.
        const order = r % 2 === 0 ? apps.map((_, i) => i) : apps.map((_, i) => i).reverse();
        for (const i of order) {
          const app = apps[i]!;
          const before = cpuSeconds(app.stack.serverPid);
          const result = await load.run({ kind: "concurrent", target: app.pairs[m]!.gateway, ...job });
          perCall[i]!.push(((cpuSeconds(app.stack.serverPid) - before) * 1e6) / Math.max(1, result.ok));
          rates[i]!.push(result.throughput);
          errors += result.errors;
        }
      }
      const cells = perCall.map((v) => `${Math.round(median(v))} µs`).join(" | ");
      console.log(`| ${modes[m]} | ${cells} | ${rates.map((v) => Math.round(median(v))).join(" / ")} | ${errors} |`);
    }
  } finally {
    await load.close();
    for (const app of apps) await app.stack.close({ keepData: false });
  }
  if (values.profile) printProfile();
}

async function preparePairs(stack: BenchStack, load: LoadGenerator, modes: Mode[], connections: number): Promise<Pair[]> {
  if (modes.includes("linked_account")) {
    await linkGitLab({
      appUrl: stack.appUrl,
      world: stack.world,
      keycloak: { username: "alice", password: "alice-password" },
      gitlab: { username: "alice", password: "alice-gitlab" },
    });
  }
  const pairs: Pair[] = [];
  for (const mode of modes) {
    const pair = await pairFor(stack, mode);
    const warm = await load.run({ kind: "concurrent", target: pair.gateway, connections, seconds: 2 });
    if (warm.ok === 0) throw new Error(`${mode}: no good answer while warming up: ${warm.errorSample}`);
    pairs.push(pair);
  }
  return pairs;
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
