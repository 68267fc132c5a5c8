// The one shutdown sequence (server.ts on SIGTERM/SIGINT, and the fault suite's replicas): readiness
// turns 503 first so load balancers stop sending, the listener closes, in-flight calls and streams
// finish (up to SHUTDOWN_GRACE_SECONDS) while clients' standalone streams are ended, and only then are upstream connections, the outbox claim,
// the audit batch, the bus and the database closed.
import type { Server } from "node:http";
import { flushAudit } from "@/lib/audit/record-audit";
import { closeBus } from "@/lib/bus/bus";
import { closeDb } from "@/lib/db";
import { beginDraining, endListeningStreams, inflightRequests, waitForIdle } from "@/lib/health/draining";
import { log } from "@/lib/log";
import { stopRevocationSweep } from "@/lib/revocations/run-revocations";

/** A moment for probes to see 503 before new connections are refused. */
export const READINESS_NOTICE_MS = 2_000;

export async function shutDownGracefully(opts: {
  signal: string;
  server: Server;
  graceMs: number;
  /** Closed once nothing is in flight (or the grace is over), before the database: the gateway, metrics, tracing. */
  closeParts: () => Promise<void>;
}): Promise<void> {
  const { server, graceMs } = opts;
  log.info({ signal: opts.signal, inflight: inflightRequests(), graceMs }, "shutting down");
  beginDraining();
  await new Promise((r) => setTimeout(r, Math.min(READINESS_NOTICE_MS, graceMs)));
  server.close();
  server.closeIdleConnections();
  // Standalone streams carry no call: ended now, their clients reconnect to another replica.
  endListeningStreams();
  const idle = await waitForIdle(Math.max(0, graceMs - READINESS_NOTICE_MS));
  if (!idle) log.warn({ inflight: inflightRequests() }, "grace period over; ending the calls still in flight");
  server.closeAllConnections();
  await opts.closeParts();
  await stopRevocationSweep();
  await flushAudit();
  await closeBus();
  await closeDb();
}
