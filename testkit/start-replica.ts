// Starts testkit/gateway-replica.ts as a second app process on the test stack's database and
// configuration (APP_URL, keys), and waits for the port it prints.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface Replica {
  url: string;
  stop(): void;
}

export async function startReplica(appEnv: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ["--import", "tsx", "testkit/gateway-replica.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...appEnv, NODE_ENV: "test" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the replica exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}
