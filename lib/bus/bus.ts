// The cross-replica message bus: what one replica must tell the others (a change that makes cached
// state stale, an answer to a backend's mid-call request held by another replica). PostgreSQL
// LISTEN/NOTIFY when the app runs on PostgreSQL; in-process delivery on embedded PGlite, where the
// process is the only replica.
import { createInProcessBus } from "@/lib/bus/in-process-bus";
import { createPostgresBus } from "@/lib/bus/postgres-bus";
import { getDatabase, type Db } from "@/lib/db/client";
import { singleton } from "@/lib/singleton";

export type BusHandler = (message: unknown) => void;

export interface BusStatus {
  kind: "postgres" | "in-process";
  /** False while the listening connection is down: this replica may be missing messages. */
  listening: boolean;
  /** When the listening connection was last lost, while it is down. */
  downSince?: Date;
}

export interface Bus {
  /**
   * Delivers `message` (JSON-serializable, ≤ BUS_MESSAGE_LIMIT_BYTES once serialized, lib/bus/message-limit.ts) to every
   * subscriber of `channel` on every replica, this one included. Resolves once the database accepted
   * it; call after the change it announces has committed.
   */
  publish(channel: string, message: unknown): Promise<void>;
  /** Returns an unsubscribe function. Handlers run outside the publisher's call stack. */
  subscribe(channel: string, handler: BusHandler): () => void;
  /**
   * Runs after the listening connection came back: messages published while it was down are lost,
   * so whoever caches must drop everything.
   */
  onResync(handler: () => void): () => void;
  status(): BusStatus;
  /** Resolves once this replica is listening (at once on the in-process bus). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** A bus on an explicit database (tests run several in one process). */
export function createBus(db: Pick<Db, "kind" | "url">): Bus {
  return db.kind === "postgres" && db.url ? createPostgresBus(db.url) : createInProcessBus();
}

// Another database installed (tests): the next bus() opens one on it.
const holder = singleton(
  "bus",
  () => ({ current: undefined as Bus | undefined }),
  (h) => {
    const current = h.current;
    h.current = undefined;
    void current?.close();
  },
);

/** The bus of the configured database, one per process. */
export function bus(): Bus {
  return (holder.current ??= createBus(getDatabase()));
}

/** Closes the process's bus (graceful shutdown, tests); a later bus() opens a new one. */
export async function closeBus(): Promise<void> {
  const current = holder.current;
  holder.current = undefined;
  await current?.close();
}
