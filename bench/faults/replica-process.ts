// Starts and signals the fault suite's replicas (bench/faults/replica.ts) as child processes on the
// suite's configuration, so they can be killed (-9) or told to stop (SIGTERM) like real ones.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export interface ReplicaProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
}

export async function startReplicaProcess(name: string, appEnv: Record<string, string>): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/faults/replica.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...appEnv, NODE_ENV: "test" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Never outlives the suite, even when the suite crashes.
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => (process.off("exit", reap), resolve(signal ?? code ?? 0))),
  );
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    void exited.then((how) => reject(new Error(`replica ${name} exited with ${how} before listening`)));
  });
  return { name, url: `http://127.0.0.1:${port}`, child, exited };
}
