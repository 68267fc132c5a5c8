// What the bench process asks of the load generator (a child process, so the load it makes never
// shares an event loop with the backends, which run in the bench process) and what it answers.
import type { LatencySummary } from "@/bench/stats";

/** One prepared JSON-RPC POST. */
export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Text every good response contains besides a JSON-RPC result (e.g. the caller's identity). */
  expect?: string;
}

export type LoadJob =
  /** `requests` calls one after another on one keep-alive connection, each timed with hrtime. */
  | { kind: "sequential"; target: Target; requests: number; maxSeconds: number }
  /** autocannon: `connections` keep-alive connections, each sending its next call when the last one ends. */
  | { kind: "concurrent"; target: Target; connections: number; seconds: number }
  /** `count` calls fired at once on `count` connections opened (and warmed with `warm`) beforehand. */
  | {
      kind: "burst";
      target: Target;
      warm: Target;
      count: number;
      maxSeconds: number;
      /** Set: call i goes to replicas[i % replicas.length] (its connection warmed with its own warm target) instead. */
      replicas?: { target: Target; warm: Target }[];
    };

export interface LoadResult {
  /** Calls answered 200 with a JSON-RPC result (and `expect`). */
  ok: number;
  errors: number;
  /** The first bad answer, shortened, to say what went wrong. */
  errorSample?: string;
  elapsedMs: number;
  /** ok calls per second. */
  throughput: number;
  latency: LatencySummary;
}

/** A good answer: a JSON-RPC result that is not a tool error (plain JSON or SSE, both as text). */
export function isGoodBody(body: string, expect?: string): boolean {
  return (
    body.includes('"result":') &&
    !body.includes('"isError":true') &&
    !body.includes('"error":{') &&
    (expect === undefined || body.includes(expect))
  );
}

/** Bench traffic stays on this machine. */
export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) throw new Error(`the bench only calls loopback addresses, not ${host}`);
}
