// Loaded into the app with NODE_OPTIONS=--import (Node refuses --cpu-prof there, and e2e/stack.ts
// starts the app as `tsx server.ts`): the same as --cpu-prof, a V8 CPU profile from start to exit,
// written to $BENCH_CPU_PROFILE_DIR. Only the process that runs server.ts profiles, not the launcher.
// With BENCH_CPU_PROFILE_ON_SIGNAL set (bench/hot-path.ts), profiling starts at the first SIGUSR2
// instead, so the profile holds the measured calls and not the start-up.
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";

const dir = process.env.BENCH_CPU_PROFILE_DIR;
const isServer = process.argv[1]?.endsWith("server.ts") === true;
if (dir && isServer && !process.execArgv.some((a) => a.includes("cpu-prof"))) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  const start = () => session.post("Profiler.start");
  if (process.env.BENCH_CPU_PROFILE_ON_SIGNAL) process.once("SIGUSR2", start);
  else start();
  process.once("exit", () => {
    // A session on the main thread answers synchronously, so this completes before the process ends.
    session.post("Profiler.stop", (err, result) => {
      if (err) return;
      mkdirSync(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      writeFileSync(path.join(dir, `CPU.${stamp}.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
