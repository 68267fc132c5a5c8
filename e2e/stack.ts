// A whole Gatehouse on this machine: the test world, plus the app (server.ts, production build) in
// a child process configured against it. Used by the Playwright suite and `npm run demo`.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { startWorld, type World, type WorldPorts } from "@/e2e/world";

export interface StackOptions {
  port?: number;
  dataDir: string;
  /** postgres://… to run on PostgreSQL; the embedded database otherwise. */
  databaseUrl?: string;
  worldPorts?: WorldPorts;
  gitlabAccessTokenTtlSeconds?: number;
  /** GitLab and the exchange backend serve 2026-07-28 beside the handshake era (see WorldOptions). */
  modernEras?: boolean;
  /** Runs before the app starts, with the app's environment (seed the database here). */
  seed?: (world: World, appEnv: Record<string, string>) => Promise<void>;
  /** Where the app's JSON logs go (default `<dataDir>/app.log`). */
  logFile?: string;
  /** Another checkout to run server.ts from (bench/hot-path.ts --compare); this one by default. */
  appDir?: string;
  /** The keyring and session secret; fresh ones when omitted (the demo keeps its own across restarts). */
  secrets?: StackSecrets;
}

export interface StackSecrets {
  gatehouseKeys: string;
  authSecret: string;
}

export function newSecrets(): StackSecrets {
  return { gatehouseKeys: `k1:${randomBytes(32).toString("base64")}`, authSecret: randomBytes(32).toString("base64") };
}

export interface Stack {
  world: World;
  appUrl: string;
  mcpUrl: string;
  appEnv: Record<string, string>;
  app: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const port = opts.port ?? (await freePort());
  const appUrl = `http://localhost:${port}`;
  mkdirSync(opts.dataDir, { recursive: true });
  const world = await startWorld({
    appUrl,
    ports: opts.worldPorts,
    gitlabAccessTokenTtlSeconds: opts.gitlabAccessTokenTtlSeconds,
    modernEras: opts.modernEras,
  });
  const secrets = opts.secrets ?? newSecrets();
  const appEnv = appEnvironment({ world, appUrl, port, dataDir: opts.dataDir, databaseUrl: opts.databaseUrl, secrets });
  try {
    await opts.seed?.(world, appEnv);
    const app = spawnApp(appEnv, opts.logFile ?? path.join(opts.dataDir, "app.log"), opts.appDir);
    await waitForReady(appUrl, app);
    const stop = async () => {
      await stopProcess(app);
      await world.close();
    };
    return { world, appUrl, mcpUrl: `${appUrl}/api/mcp`, appEnv, app, stop };
  } catch (e) {
    await world.close();
    throw e;
  }
}

export interface AppReplica {
  url: string;
  mcpUrl: string;
  app: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Another app process on the same database and configuration (APP_URL, keys) at a port of its own:
 * a second replica. Needs PostgreSQL (the embedded database belongs to one process).
 */
export async function startAppReplica(stack: Stack, opts: { logFile: string }): Promise<AppReplica> {
  if (!stack.appEnv.DATABASE_URL)
    throw new Error("a second replica needs PostgreSQL (DATABASE_URL): the embedded database is one process's");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = spawnApp({ ...stack.appEnv, PORT: String(port) }, opts.logFile);
  try {
    await waitForReady(url, app);
  } catch (e) {
    await stopProcess(app);
    throw e;
  }
  return { url, mcpUrl: `${url}/api/mcp`, app, stop: () => stopProcess(app) };
}

function appEnvironment(o: {
  world: World;
  appUrl: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  secrets: StackSecrets;
}): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: "production",
    PORT: String(o.port),
    HOST: "127.0.0.1",
    APP_URL: o.appUrl,
    DATA_DIR: path.resolve(o.dataDir),
    KEYCLOAK_ISSUER: o.world.keycloak.issuer,
    KEYCLOAK_CLIENT_ID: o.world.gatehouseClient.clientId,
    KEYCLOAK_CLIENT_SECRET: o.world.gatehouseClient.clientSecret,
    // Production mode refuses to start without these.
    GATEHOUSE_KEYS: o.secrets.gatehouseKeys,
    AUTH_SECRET: o.secrets.authSecret,
    LOG_LEVEL: "info",
    // The test world listens on 127.0.0.1; production mode would refuse loopback otherwise.
    OUTBOUND_ALLOW_LOOPBACK: "true",
  };
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  return env;
}

function spawnApp(appEnv: Record<string, string>, logFile: string, cwd?: string): ChildProcess {
  const log = createWriteStream(logFile, { flags: "a" });
  // One process (tsx as a loader, not its CLI wrapper), so the pid is the server's own; the same
  // V8 flag as `npm start` (a small young generation: see package.json).
  const child = spawn(process.execPath, ["--max-semi-space-size=4", "--import", "tsx", "server.ts"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...appEnv, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    cwd,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

async function waitForReady(appUrl: string, app: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  app.once("exit", (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the app exited with code ${exited} during start-up; see its log`);
    try {
      const res = await fetch(`${appUrl}/api/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the app was not ready at ${appUrl} within ${timeoutMs} ms`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
