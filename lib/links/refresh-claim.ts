// The claim a refresh holds while it talks to the provider: one refresh per link across every
// replica, without a transaction (or a row lock) held open across the HTTP call. On PostgreSQL a
// session advisory lock on a connection of its own (not the pool's: refreshes of many links at once
// must not starve the queries they make); it dies with the connection, so a killed replica's claim
// ends with it. On PGlite the process is the only replica: a per-link queue.
import pg from "pg";
import { getDatabase } from "@/lib/db";
import { singleton } from "@/lib/singleton";

/** How long a refresh waits for another replica's refresh of the same link. */
const WAIT_MS = 30_000;

const queues = singleton("links.refreshQueues", () => new Map<string, Promise<unknown>>());

export async function withRefreshClaim<T>(linkId: string, fn: () => Promise<T>): Promise<T> {
  const db = getDatabase();
  if (db.kind !== "postgres" || !db.url) return inProcess(linkId, fn);
  const client = new pg.Client({ connectionString: db.url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query(`SET lock_timeout = '${WAIT_MS}ms'`);
    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [`gatehouse.refresh:${linkId}`]);
    return await fn();
  } finally {
    // Closing the connection releases the lock.
    await client.end().catch(() => undefined);
  }
}

function inProcess<T>(linkId: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(linkId) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.catch(() => undefined);
  queues.set(linkId, settled);
  void settled.then(() => {
    if (queues.get(linkId) === settled) queues.delete(linkId);
  });
  return run;
}
