// The stack the bench measures: the test world in this process (so its counters can be read and the
// GitLab token lifetime set), the app (server.ts, production build) as a child process on a fresh
// embedded database (or PostgreSQL) seeded with the four backends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { serverPid } from "@/bench/app-process";
import { seedStack } from "@/e2e/seed";
import { startStack, type Stack } from "@/e2e/stack";

/** Longer than bench/run.ts's whole-run limit (20 minutes). */
const GATEHOUSE_TOKEN_TTL_SECONDS = 3600;

export interface BenchStack extends Stack {
  dataDir: string;
  /** The process that runs server.ts (the app's own pid, or its child when a tsx CLI launched it). */
  serverPid: number;
  close(opts: { keepData: boolean }): Promise<void>;
}

export interface BenchStackOptions {
  profileDir?: string;
  /** Another checkout to run the app from (a before/after comparison); this one by default. */
  appDir?: string;
  /** With profileDir: profile from the first SIGUSR2 to the app's exit (bench/hot-path.ts), not from its start. */
  profileOnSignal?: boolean;
  /** Extra NODE_OPTIONS for the app (BENCH_APP_NODE_OPTIONS): experiments such as --max-old-space-size. */
  nodeOptions?: string;
  /** postgres://… (BENCH_DATABASE_URL) to run the app on PostgreSQL; the embedded database otherwise. */
  databaseUrl?: string;
  /** An OTLP/HTTP endpoint: the app traces every request and exports there. */
  tracesUrl?: string;
}

export async function startBenchStack(opts: BenchStackOptions): Promise<BenchStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "gatehouse-bench-"));
  const stack = await startStack({
    dataDir,
    databaseUrl: opts.databaseUrl,
    appDir: opts.appDir,
    gitlabAccessTokenTtlSeconds: 7200,
    seed: async (world, appEnv) => {
      await seedStack(world, appEnv);
      // The Gatehouse-token modes use one access token for all their runs: it must outlive the run.
      appEnv.OAUTH_ACCESS_TOKEN_TTL_SECONDS = String(GATEHOUSE_TOKEN_TTL_SECONDS);
      if (opts.tracesUrl) appEnv.OTEL_EXPORTER_OTLP_ENDPOINT = opts.tracesUrl;
      // The app's environment is built by e2e/stack.ts; the seed hook is where it can still be added to.
      const nodeOptions = [opts.nodeOptions ?? ""];
      if (opts.profileDir) {
        nodeOptions.push(`--import=${path.resolve("bench/cpu-profile.mjs")}`);
        appEnv.BENCH_CPU_PROFILE_DIR = path.resolve(opts.profileDir);
        if (opts.profileOnSignal) appEnv.BENCH_CPU_PROFILE_ON_SIGNAL = "1";
      }
      if (nodeOptions.join("").trim()) appEnv.NODE_OPTIONS = nodeOptions.join(" ").trim();
    },
  });
  return {
    ...stack,
    dataDir,
    serverPid: serverPid(stack.app.pid!),
    async close({ keepData }) {
      await stack.stop();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
