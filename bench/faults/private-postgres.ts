// A PostgreSQL cluster of the fault suite's own (never the shared test server, which other suites
// use): Debian's initdb/pg_ctl into a temporary directory on a free loopback port, run as the
// `postgres` user when this process is root (PostgreSQL refuses to run as root), trust auth.
// The suite stops and starts it to measure an outage.
import { execFile } from "node:child_process";
import { chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PrivatePostgres {
  /** postgresql://gatehouse@127.0.0.1:PORT/postgres (a superuser: test databases are created from it). */
  adminUrl: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error("faults: no PostgreSQL binaries in /usr/lib/postgresql (apt-get install postgresql)");
  const bin = (name: string) => join("/usr/lib/postgresql", versions[0]!, "bin", name);
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-faults-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(stdout.trim()));
  }
  const as = (file: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", file, ...args]) : run(file, args));
  const port = await freePort();
  const data = join(dir, "data");
  await as(bin("initdb"), ["-D", data, "-U", "gatehouse", "--auth=trust", "-E", "UTF8"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => void (await as(bin("pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]));
  // Fast: open connections are cut, as when a managed database fails over.
  const stop = async () => void (await as(bin("pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]));
  await start();
  return {
    adminUrl: `postgresql://gatehouse@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
