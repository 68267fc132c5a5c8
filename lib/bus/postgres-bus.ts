// The bus on PostgreSQL: one NOTIFY channel, one dedicated LISTEN connection per replica.
// NOTIFY payloads stop at 8000 bytes, so a longer message is sent as base64 pieces inside one
// transaction (PostgreSQL delivers a transaction's notifications together and in order) and
// reassembled here. A lost listening connection is re-opened with backoff; subscribers are then told
// to resync, because what was published meanwhile is gone.
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Bus } from "@/lib/bus/bus";
import { serializeBusMessage } from "@/lib/bus/message-limit";
import { Pieces, splitIntoPieces, type Envelope } from "@/lib/bus/pieces";
import { Subscribers } from "@/lib/bus/subscribers";
import { log } from "@/lib/log";

const CHANNEL = "gatehouse_bus";
const BACKOFF_MS = { first: 100, max: 5_000 };
// A half-open TCP connection would otherwise look like a quiet bus forever.
const HEARTBEAT_MS = 10_000;

export function createPostgresBus(url: string): Bus {
  const subscribers = new Subscribers();
  const pieces = new Pieces();
  const publisher = new pg.Pool({ connectionString: url, max: 2 });
  publisher.on("error", () => {});
  let listener: pg.Client | undefined;
  let listening = false;
  let downSince: Date | undefined;
  let everListened = false;
  let closed = false;
  let backoff = BACKOFF_MS.first;
  let heartbeat: NodeJS.Timeout | undefined;
  let readyResolve: () => void = () => {};
  let ready = new Promise<void>((resolve) => (readyResolve = resolve));

  const onNotification = (n: pg.Notification) => {
    if (n.channel !== CHANNEL || !n.payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(n.payload) as Envelope;
    } catch {
      return log.warn("a bus notification was not JSON; ignored");
    }
    const whole = pieces.accept(envelope);
    if (whole) subscribers.deliver(whole.channel, whole.message);
  };

  const lost = (err?: unknown) => {
    if (!listener) return;
    const dead = listener;
    listener = undefined;
    listening = false;
    downSince ??= new Date();
    clearInterval(heartbeat);
    dead.removeAllListeners("notification");
    dead.end().catch(() => {});
    if (closed) return;
    log.warn({ err, retryInMs: backoff }, "the bus lost its listening connection; reconnecting");
    ready = new Promise<void>((resolve) => (readyResolve = resolve));
    setTimeout(connect, backoff).unref();
    backoff = Math.min(backoff * 2, BACKOFF_MS.max);
  };

  const connect = async () => {
    if (closed) return;
    const client = new pg.Client({ connectionString: url, keepAlive: true });
    listener = client;
    client.on("error", (err) => lost(err));
    client.on("end", () => lost());
    client.on("notification", onNotification);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      return lost(err);
    }
    if (listener !== client) return;
    listening = true;
    downSince = undefined;
    backoff = BACKOFF_MS.first;
    heartbeat = setInterval(() => client.query("SELECT 1").catch((err) => lost(err)), HEARTBEAT_MS).unref();
    readyResolve();
    if (everListened) subscribers.resynced();
    everListened = true;
  };
  void connect();

  return {
    async publish(channel, message) {
      const payloads = splitIntoPieces(channel, serializeBusMessage(message), randomUUID());
      const client = await publisher.connect();
      try {
        if (payloads.length === 1) {
          await client.query("SELECT pg_notify($1, $2)", [CHANNEL, payloads[0]]);
        } else {
          await client.query("BEGIN");
          for (const p of payloads) await client.query("SELECT pg_notify($1, $2)", [CHANNEL, p]);
          await client.query("COMMIT");
        }
        client.release();
      } catch (err) {
        client.release(true);
        throw err;
      }
    },
    subscribe: (channel, handler) => subscribers.add(channel, handler),
    onResync: (handler) => subscribers.addResync(handler),
    ready: () => ready,
    status: () => ({ kind: "postgres", listening, ...(downSince ? { downSince } : {}) }),
    async close() {
      closed = true;
      clearInterval(heartbeat);
      const client = listener;
      listener = undefined;
      await Promise.allSettled([client?.end(), publisher.end()]);
    },
  };
}
