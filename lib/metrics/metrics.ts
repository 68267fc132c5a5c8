// Gatehouse's Prometheus metrics: one registry per process (on globalThis: Next's bundle and
// server.ts load separate copies of this module), the gatehouse_* metrics and prom-client's default
// process and Node.js metrics (memory, CPU, event-loop lag, handles). Label values are bounded:
// method, backend slug, provider slug, outcome, state — never a user, a token or tool arguments.
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { LeanCounter, LeanHistogram } from "@/lib/metrics/lean-metrics";
import { singleton } from "@/lib/singleton";

// The gateway adds well under a millisecond; backends and token endpoints take up to the timeout.
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    gatewayRequests: new LeanCounter({
      name: "gatehouse_gateway_requests_total",
      help: "MCP requests answered by the gateway, by JSON-RPC method, backend slug (empty when none) and outcome.",
      labelNames: ["method", "backend", "outcome"],
      registry,
    }),
    gatewayDuration: new LeanHistogram({
      name: "gatehouse_gateway_request_duration_seconds",
      help: "Time from the request to the gateway's answer (a streamed answer: until it ends), by method, backend and outcome.",
      labelNames: ["method", "backend", "outcome"],
      buckets: LATENCY_BUCKETS,
      registry,
    }),
    httpResponses: new LeanCounter({
      name: "gatehouse_gateway_http_responses_total",
      help: "HTTP answers of /api/mcp by status code (401, 404, 413… included).",
      labelNames: ["code"],
      registry,
    }),
    upstreamDuration: new LeanHistogram({
      name: "gatehouse_upstream_duration_seconds",
      help: "Time a backend took to answer a forwarded call (from the request to the end of its answer), by backend and outcome.",
      labelNames: ["backend", "outcome"],
      buckets: LATENCY_BUCKETS,
      registry,
    }),
    credentialCache: new LeanCounter({
      name: "gatehouse_credential_cache_requests_total",
      help: "Credential cache lookups: issued tokens (token exchange, client credentials) and linked-account tokens, by result.",
      labelNames: ["cache", "result"],
      registry,
    }),
    tokenRefreshes: new Counter({
      name: "gatehouse_token_refreshes_total",
      help: "Linked-account token refreshes at providers, by provider slug and outcome (success, relink, failure).",
      labelNames: ["provider", "outcome"] as const,
      registers,
    }),
    auditDropped: new Counter({
      name: "gatehouse_audit_events_dropped_total",
      help: "Audit events that could not be written and were dropped.",
      registers,
    }),
    auditQueue: new Gauge({ name: "gatehouse_audit_queue_depth", help: "Audit events queued, not yet written.", registers }),
    links: new Gauge({
      name: "gatehouse_linked_accounts",
      help: "Linked accounts by provider slug and state (active, needs_relink); read from the database, cached a few seconds.",
      labelNames: ["provider", "state"] as const,
      registers,
    }),
    dbPool: new Gauge({
      name: "gatehouse_db_pool_connections",
      help: "PostgreSQL pool connections by state (total, idle, waiting); absent on the embedded database.",
      labelNames: ["state"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof create>;

export function metrics(): Metrics {
  return singleton("metrics", create);
}
