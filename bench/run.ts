// `npm run bench`: what the gateway adds over calling a backend directly, measured side by side in
// one run — tools/call per outgoing auth mode at concurrency 1, 16 and 64; tools/list over 10
// backends, cold and cached; a refresh storm; the app's peak memory. See bench/README.md.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { memoryOf } from "@/bench/app-process";
import { startBenchStack, type BenchStack } from "@/bench/bench-stack";
import { buildApp } from "@/bench/build-app";
import { writeCharts } from "@/bench/charts";
import { checkGoals } from "@/bench/goals";
import { startLoadGenerator, type LoadGenerator } from "@/bench/load";
import { describeMachine, loadAverage } from "@/bench/machine";
import { readOptions } from "@/bench/options";
import { hotFunctions, hotFunctionsTable } from "@/bench/profile-summary";
import { markdown, writeResults, type BenchResults } from "@/bench/report";
import { measureCalls } from "@/bench/scenarios/calls";
import { measureLists, registerExtraBackends } from "@/bench/scenarios/lists";
import { measureScale, type ScaleResult } from "@/bench/scenarios/scale";
import { measureRefreshStorm, type StormResult } from "@/bench/scenarios/storm";
import { createScratchDatabase } from "@/bench/scratch-database";
import { startTraceSink } from "@/bench/trace-sink";
import { startAppReplica } from "@/e2e/stack";
import type { TestBackend } from "@/e2e/world/backends";

const RESULTS_DIR = "bench/results";
const PROFILE_DIR = "bench/results/profiles";
const STORM_CALLS = 200;
/** Every step is bounded on its own; this bounds the whole run too (a hung app, say). */
const RUN_LIMIT_MS = 20 * 60_000;

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main() {
  const options = readOptions(process.argv.slice(2));
  const build = await buildApp(options);
  const started = Date.now();
  const machine = describeMachine();
  log(`build ${build}; starting the test world and the app`);
  const database = process.env.BENCH_DATABASE_URL ? await createScratchDatabase(process.env.BENCH_DATABASE_URL) : undefined;
  const sink = options.tracing ? await startTraceSink() : undefined;
  const stack = await startBenchStack({
    profileDir: options.profile ? PROFILE_DIR : undefined,
    nodeOptions: process.env.BENCH_APP_NODE_OPTIONS,
    databaseUrl: database?.url,
    tracesUrl: sink?.url,
  }).catch(async (e: unknown) => {
    await database?.drop();
    throw e;
  });
  const load = await startLoadGenerator();
  let extra: TestBackend[] = [];
  const stop = async () => {
    await load.close();
    await Promise.allSettled(extra.map((b) => b.close()));
    await stack.close({ keepData: options.keepData });
    if (!options.keepData) await database?.drop();
    await sink?.close();
  };
  const unguard = guard(stop);
  let results: BenchResults | undefined;
  try {
    // The app started on an empty data folder: its peak so far is the first start's.
    const firstStart = memoryOf(stack.serverPid);
    log(
      `app at ${stack.appUrl} (server pid ${stack.serverPid}), load generator pid ${load.pid}; first start peak RSS ${firstStart.peakRssMb.toFixed(0)} MB`,
    );
    extra = await registerExtraBackends(stack);
    const storm = await measureRefreshStorm({ stack, load, calls: STORM_CALLS, log });
    const calls = await measureCalls({ stack, appPid: stack.serverPid, load, options, log });
    const lists = await measureLists({ stack, load, coldSamples: 5, cachedCalls: 300, log });
    // Peak memory under the benchmark proper; the scale run below grows the deployment on purpose.
    const memory = {
      server: memoryOf(stack.serverPid),
      launcher: stack.serverPid === stack.app.pid ? undefined : memoryOf(stack.app.pid!),
      firstStartPeakRssMb: firstStart.peakRssMb,
    };
    let scale: ScaleResult | undefined;
    if (options.scale) {
      scale = await measureScale({ stack, appPid: stack.serverPid, load, log, started: extra, maxUsers: options.scaleUsers });
      if (database) scale.replicaStorm = await measureReplicaStorm(stack, load);
      else log("two-replica refresh storm skipped: it needs PostgreSQL (BENCH_DATABASE_URL)");
    }
    machine.loadAverageEnd = loadAverage();
    const goals = checkGoals({ calls, lists, storm, scale, peakRssMb: memory.server.peakRssMb, firstStartPeakRssMb: firstStart.peakRssMb });
    const setup = {
      database: database ? ("postgres" as const) : ("pglite" as const),
      appNodeOptions: process.env.BENCH_APP_NODE_OPTIONS || undefined,
      profiled: options.profile,
      tracing: sink ? { exports: sink.exports, bytes: sink.bytes } : undefined,
    };
    results = {
      startedAt: new Date(started).toISOString(),
      durationS: (Date.now() - started) / 1000,
      machine,
      options,
      build,
      setup,
      calls,
      lists,
      storm,
      scale,
      memory,
      goals,
      charts: [],
    };
  } finally {
    unguard();
    await stop();
    if (options.keepData) log(`the app's data and log are in ${stack.dataDir}${database ? ` and database ${database.url}` : ""}`);
  }
  // A profiled app is slower, and an experiment is not the product: neither becomes latest.*.
  const latest = !results.setup.profiled && !results.setup.appNodeOptions && !results.setup.tracing;
  const dir = options.profile ? PROFILE_DIR : RESULTS_DIR;
  results.charts = await writeCharts(
    path.join(dir, "charts"),
    latest ? "latest" : results.startedAt.replace(/[:.]/g, "-"),
    results.calls,
    results.scale,
  );
  const files = writeResults(results, dir, { latest });
  console.log(`\n${markdown(results)}`);
  if (options.profile) printProfile();
  log(`wrote ${files.join(", ")}`);
}

/** The refresh storm split across this app and a second replica on the same PostgreSQL database. */
async function measureReplicaStorm(stack: BenchStack, load: LoadGenerator): Promise<StormResult> {
  const replica = await startAppReplica(stack, { logFile: path.join(stack.dataDir, "replica.log") });
  try {
    log(`second replica at ${replica.url}`);
    return await measureRefreshStorm({ stack, load, calls: STORM_CALLS, log, replica });
  } finally {
    await replica.stop();
  }
}

/** Stops the app and the world when the run is interrupted or overruns, so nothing is left running. */
function guard(stop: () => Promise<void>): () => void {
  const bail = (why: string) => {
    log(why);
    void Promise.race([stop(), new Promise((r) => setTimeout(r, 15_000))]).finally(() => process.exit(1));
  };
  const timer = setTimeout(() => bail(`the run took longer than ${RUN_LIMIT_MS / 60_000} minutes: stopping`), RUN_LIMIT_MS);
  timer.unref();
  const onSignal = (signal: NodeJS.Signals) => bail(`${signal}: stopping the app and the test world`);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    clearTimeout(timer);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

function printProfile() {
  const newest = readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(PROFILE_DIR, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) return log("no CPU profile was written");
  const hot = hotFunctions(newest, 25);
  console.log(
    `\n## CPU profile ${newest} (${(hot.busyMs / 1000).toFixed(1)} s busy)\n\nTop self time, all code:\n\n${hotFunctionsTable(hot.total)}`,
  );
  console.log(`\nTop self time in this project's files:\n\n${hotFunctionsTable(hot.project)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
