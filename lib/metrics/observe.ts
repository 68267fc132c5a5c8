// The hot path's metric hooks. Label children are bound once per label combination and kept in
// nested maps, so a call costs map lookups and a few additions: no label object, no key string.
import type { CounterChild, HistogramChild } from "@/lib/metrics/lean-metrics";
import { metrics } from "@/lib/metrics/metrics";

type Bound = { count: CounterChild; duration: HistogramChild };
type Tree<T> = Map<string, T>;

const calls: Tree<Tree<Tree<Bound>>> = new Map();
const upstream: Tree<Tree<HistogramChild>> = new Map();
const replies = new Map<number, CounterChild>();
const cacheResults = new Map<string, { hit: CounterChild; miss: CounterChild }>();

function branch<T>(tree: Tree<T>, key: string, make: () => T): T {
  let found = tree.get(key);
  if (found === undefined) tree.set(key, (found = make()));
  return found;
}

/** One answered MCP request: `seconds` from its arrival to the end of the answer. */
export function observeGatewayRequest(method: string, backend: string, outcome: string, seconds: number): void {
  const bound = branch(branch(branch(calls, method, newTree<Tree<Bound>>), backend, newTree<Bound>), outcome, () => {
    const m = metrics();
    return { count: m.gatewayRequests.labels(method, backend, outcome), duration: m.gatewayDuration.labels(method, backend, outcome) };
  });
  bound.count.inc();
  bound.duration.observe(seconds);
}

/** observeGatewayRequest for an answer made at once (lists, initialize, ping): the outcome is its HTTP status. */
export function observeReply<R extends { status: number }>(method: string, backend: string | undefined, startedAt: number, reply: R): R {
  observeGatewayRequest(method, backend ?? "", reply.status < 400 ? "success" : "error", (performance.now() - startedAt) / 1000);
  return reply;
}

/** A backend's answer to a forwarded call, from the request to the end of the answer. */
export function observeUpstream(backend: string, outcome: string, seconds: number): void {
  branch(branch(upstream, backend, newTree<HistogramChild>), outcome, () => metrics().upstreamDuration.labels(backend, outcome)).observe(
    seconds,
  );
}

export function countHttpReply(status: number): void {
  let child = replies.get(status);
  if (child === undefined) replies.set(status, (child = metrics().httpResponses.labels(String(status))));
  child.inc();
}

/** `cache`: "issued_token" or "linked_account". */
export function countCacheLookup(cache: string, hit: boolean): void {
  const bound = branch(cacheResults, cache, () => ({
    hit: metrics().credentialCache.labels(cache, "hit"),
    miss: metrics().credentialCache.labels(cache, "miss"),
  }));
  (hit ? bound.hit : bound.miss).inc();
}

/** Off the hot path (a refresh is a network round trip): no binding cache. */
export function countTokenRefresh(provider: string, outcome: "success" | "relink" | "failure"): void {
  metrics().tokenRefreshes.labels(provider, outcome).inc();
}

export function countAuditDrops(n: number): void {
  metrics().auditDropped.inc(n);
}

/** The outcome label of a forwarded call: a bounded set, whatever the error text says. */
export function callOutcome(outcome: { ok: boolean; error?: string }): string {
  if (outcome.ok) return "success";
  const e = outcome.error ?? "";
  if (KNOWN_FAILURES.has(e)) return e;
  return e.startsWith("timeout") ? "timeout" : "error";
}

const KNOWN_FAILURES = new Set(["link_required", "link_rejected", "misconfigured", "sign_in_ended"]);

function newTree<T>(): Tree<T> {
  return new Map();
}
