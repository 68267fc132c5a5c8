// Command-line options of `npm run bench`. The defaults are the published run; --quick is for
// trying the harness itself (numbers from it are too short to quote).
import { parseArgs } from "node:util";

export interface BenchOptions {
  build: boolean;
  profile: boolean;
  /** Measured runs per (mode, concurrency, target); medians are taken over them. */
  runs: number;
  /** Sequential calls per run at concurrency 1. */
  sequential: number;
  /** Seconds per run at concurrency 16 and 64. */
  seconds: number;
  concurrencies: number[];
  keepData: boolean;
  /** Also measure how cost grows with backends and users (bench/scenarios/scale.ts; several minutes more). */
  scale: boolean;
  /** The scale run's largest user count (--scale-users; 10,000 by default). */
  scaleUsers: number;
  /** The app exports traces (OTLP/HTTP) to a local sink: compare with a run without. */
  tracing: boolean;
}

export function readOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      "no-build": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
      runs: { type: "string" },
      sequential: { type: "string" },
      seconds: { type: "string" },
      "keep-data": { type: "boolean", default: false },
      scale: { type: "boolean", default: false },
      "scale-users": { type: "string" },
      tracing: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(`npm run bench [-- --no-build] [--profile] [--quick] [--runs N] [--sequential N] [--seconds S] [--keep-data] [--tracing]
  --no-build     skip \`next build\` when .next/BUILD_ID exists
  --profile      CPU-profile the app (bench/results/profiles/, not the published numbers)
  --quick        1 run, 500 sequential calls, 1 s per load run: checks the harness, numbers not for quoting
  --runs N       measured runs per pair (default 3)
  --sequential N calls per run at concurrency 1 (default 2000)
  --seconds S    seconds per run at concurrency 16 and 64 (default 3)
  --keep-data    keep the app's data folder and log
  --scale        also the scale curves: 1/10/100 backends, tools/list over 10/50/100, RSS at 1/1,000/10,000 users
  --scale-users N  stop the users curve at N (1,000 with --quick)
  --tracing      the app traces every request and exports to a local OTLP sink (not the published numbers)`);
    process.exit(0);
  }
  const quick = values.quick === true;
  return {
    build: !values["no-build"],
    profile: values.profile === true,
    runs: positive(values.runs, quick ? 1 : 3, "--runs", 20),
    sequential: positive(values.sequential, quick ? 500 : 2000, "--sequential", 100_000),
    seconds: positive(values.seconds, quick ? 1 : 3, "--seconds", 60),
    concurrencies: [1, 16, 64],
    keepData: values["keep-data"] === true,
    scale: values.scale === true,
    scaleUsers: positive(values["scale-users"], quick ? 1_000 : 10_000, "--scale-users", 10_000),
    tracing: values.tracing === true,
  };
}

function positive(value: string | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`${name} must be a number between 0 and ${max}`);
  return n;
}
