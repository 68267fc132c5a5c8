// The Prisma client on one of two targets: PostgreSQL (DATABASE_URL, a pg pool) or, when
// DATABASE_URL is unset, embedded PGlite in <DATA_DIR>/pglite so development needs no server.
// Both entry points (Next's bundle and server.ts) share one instance through singleton().
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";

/** Raw SQL on one connection (advisory locks and transactions need the same session). */
export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A script of one or more statements, without parameters. */
  exec(script: string): Promise<void>;
}
export interface SqlSession extends SqlRunner {
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** `discard`: close the connection instead of reusing it (it may hold a lock). */
  release(discard?: boolean): Promise<void>;
}

export interface Db {
  prisma: PrismaClient;
  kind: "postgres" | "pglite";
  /** The PostgreSQL connection URL (absent for PGlite): the change bus opens its own listening connection. */
  url?: string;
  /** A dedicated connection for the migrator; release it when done. */
  openSession(): Promise<SqlSession>;
  runRawQuery<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** PostgreSQL's connection pool right now (for metrics); absent on PGlite, which is one connection. */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export type DbTarget = { url?: string; dataDir?: string | "memory" };

// PGlite folders open in this process: a second instance on one folder would corrupt it.
const openFolders = singleton("pglite-folders", () => new Set<string>());

/** A client on an explicit target: `url` for PostgreSQL, else PGlite in `dataDir` ("memory" for tests). */
export function createDb(target: DbTarget): Db {
  return target.url ? createPostgresDb(target.url) : createPGliteDb(target.dataDir ?? "memory");
}

function createPostgresDb(url: string): Db {
  const pool = new pg.Pool({ connectionString: url });
  // An idle client's network error is reported here; without a listener it would crash the process.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const runner = (c: pg.Pool | pg.PoolClient): SqlRunner => ({
    query: async <T>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as T[],
    exec: async (script) => void (await c.query(script)),
  });
  return {
    prisma,
    kind: "postgres",
    url,
    async openSession() {
      const client = await pool.connect();
      // A checked-out client is no longer the pool's to watch: its network error (the database
      // restarting while a session holds a lock) would crash the process; the next query fails instead.
      const ignore = () => {};
      client.on("error", ignore);
      const tx = runner(client);
      return {
        ...tx,
        async transaction(fn) {
          await client.query("BEGIN");
          try {
            const result = await fn(tx);
            await client.query("COMMIT");
            return result;
          } catch (err) {
            await client.query("ROLLBACK").catch(() => {});
            throw err;
          }
        },
        release: async (discard) => {
          client.removeListener("error", ignore);
          client.release(discard === true);
        },
      };
    },
    runRawQuery: (sql, params) => runner(pool).query(sql, params),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
  };
}

// PGlite's Postgres keeps initdb's shared_buffers = 128MB inside its WebAssembly memory, which never
// shrinks: measured, the app held ~120 MB more resident at start-up with it than with 16MB.
// The gateway's data is a few MB and its hot path reads caches, not the database, so 16MB is ample.
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

function createPGliteDb(dataDir: string): Db {
  const folder = dataDir === "memory" ? undefined : path.resolve(dataDir);
  if (folder) {
    if (openFolders.has(folder)) throw new Error(`PGlite folder ${folder} is already open in this process; use getDb()`);
    mkdirSync(folder, { recursive: true });
    if (!existsSync(path.join(folder, "PG_VERSION"))) initEmbeddedFolder(folder);
    openFolders.add(folder);
  }
  const pglite = new PGlite(folder, { startParams: PGLITE_START_PARAMS });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const runner = (c: Pick<PGlite, "query" | "exec">): SqlRunner => ({
    query: async <T>(sql: string, params?: unknown[]) => (await c.query<T>(sql, params)).rows,
    exec: async (script) => void (await c.exec(script)),
  });
  const session: SqlSession = {
    ...runner(pglite),
    // PGlite is one connection: its transaction() holds an internal lock so other queries wait.
    transaction: (fn) => pglite.transaction((tx) => fn(runner(tx))),
    release: async () => {},
  };
  return {
    prisma,
    kind: "pglite",
    openSession: async () => session,
    runRawQuery: session.query,
    close: once(async () => {
      await prisma.$disconnect();
      await pglite.close();
      if (folder) openFolders.delete(folder);
    }),
  };
}

// First start on an empty folder: initdb in a child process (lib/db/init-embedded-folder.mjs says
// why). Synchronous because creating a Db is; it happens once per data folder, before serving.
function initEmbeddedFolder(folder: string): void {
  const script = path.resolve("lib/db/init-embedded-folder.mjs");
  if (!existsSync(script)) throw new Error(`${script} is missing: start Gatehouse from its own folder.`);
  const child = spawnSync(process.execPath, [script, folder, ...PGLITE_START_PARAMS], {
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 120_000,
  });
  if (child.status !== 0) {
    const why = child.error?.message ?? child.stderr.toString().trim().split("\n").slice(-2).join(" ").slice(-300);
    throw new Error(`Could not create the embedded database in ${folder}: ${why || `exit ${child.status}`}`);
  }
}

// Shutdown paths (signal handler, test teardown) may both close a Db; the second call waits for the first.
function once(fn: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= fn());
}

// A holder rather than the Db itself, so closeDb() can let a later getDb() reconnect.
const configured = singleton("db", () => ({ current: undefined as Db | undefined }));

/** The configured database (DATABASE_URL, else PGlite in <DATA_DIR>/pglite), one per process. */
export function getDatabase(): Db {
  if (!configured.current) {
    const e = env();
    configured.current = createDb(e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: path.join(e.DATA_DIR, "pglite") });
  }
  return configured.current;
}

/** The Prisma client for the configured database. */
export function getDb(): PrismaClient {
  return getDatabase().prisma;
}

/** Closes the configured database (graceful shutdown, tests). */
export async function closeDb(): Promise<void> {
  const db = configured.current;
  configured.current = undefined;
  await db?.close();
}

/** Makes getDb() return this database (integration tests that run the app's code in-process). */
export function setDatabaseForTests(db: Db): void {
  configured.current = db;
}
