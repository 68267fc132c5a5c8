// The bench process's handle on the load generator child (load-client.ts): one job at a time.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { LoadJob, LoadResult } from "@/bench/load-protocol";

export interface LoadGenerator {
  run(job: LoadJob): Promise<LoadResult>;
  readonly pid: number;
  close(): Promise<void>;
}

const JOB_SLACK_MS = 60_000;

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child: ChildProcess = fork(path.resolve("bench/load-client.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  let next = 0;
  const waiting = new Map<number, { resolve(r: LoadResult): void; reject(e: Error): void }>();
  child.on("message", (m: { id: number; result?: LoadResult; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.result) w?.resolve(m.result);
    else w?.reject(new Error(`load generator: ${m.error}`));
  });
  child.on("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`the load generator exited (${code})`));
    waiting.clear();
  });

  return {
    pid: child.pid!,
    run(job) {
      const id = next++;
      const limitMs = ("seconds" in job ? job.seconds : job.maxSeconds) * 1000 + JOB_SLACK_MS;
      return new Promise<LoadResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`load job ${job.kind} on ${job.target.name} did not finish within ${limitMs} ms`));
        }, limitMs);
        const done =
          <T>(f: (v: T) => void) =>
          (v: T) => {
            clearTimeout(timer);
            f(v);
          };
        waiting.set(id, { resolve: done(resolve), reject: done(reject) });
        child.send({ id, job });
      });
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.disconnect();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
