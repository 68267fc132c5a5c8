// The PostgreSQL bus between two "replicas" (two buses on one database): delivery both ways, large
// messages, and a listening connection that dies and comes back (subscribers are told to resync).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bus } from "@/lib/bus/bus";
import { createPostgresBus } from "@/lib/bus/postgres-bus";
import { createPostgresTestDatabase } from "@/testkit/test-database";

const adminUrl = process.env.TEST_DATABASE_URL;

const next = (bus: Bus, channel: string) =>
  new Promise<unknown>((resolve) => {
    const stop = bus.subscribe(channel, (m) => (stop(), resolve(m)));
  });

describe.skipIf(!adminUrl)("[bus] PostgreSQL LISTEN/NOTIFY between replicas (TEST_DATABASE_URL)", () => {
  let database: { url: string; drop(): Promise<void> };
  let a: Bus;
  let b: Bus;
  beforeAll(async () => {
    database = await createPostgresTestDatabase(adminUrl!);
    a = createPostgresBus(database.url);
    b = createPostgresBus(database.url);
    await Promise.all([a.ready(), b.ready()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  it("a message published on one replica reaches both", async () => {
    const atA = next(a, "changes");
    const atB = next(b, "changes");
    await a.publish("changes", { kind: "backend", id: "b1" });
    expect(await atB).toEqual({ kind: "backend", id: "b1" });
    expect(await atA).toEqual({ kind: "backend", id: "b1" });
  });

  it("a message past one NOTIFY's size arrives whole", async () => {
    const message = { answer: "ü".repeat(60_000) };
    const atB = next(b, "answers");
    await a.publish("answers", message);
    expect(await atB).toEqual(message);
  });

  it("a replica whose listening connection is killed reconnects, resyncs, and receives again", async () => {
    const resynced = new Promise<void>((resolve) => b.onResync(resolve));
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const killed = await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN gatehouse_bus' AND pid <> pg_backend_pid()",
    );
    await admin.end();
    expect(killed.rowCount).toBeGreaterThanOrEqual(1);
    await resynced;
    expect(b.status().listening).toBe(true);
    const atB = next(b, "changes");
    await a.ready();
    await a.publish("changes", { after: "reconnect" });
    expect(await atB).toEqual({ after: "reconnect" });
  });
});
