// /metrics as an operator scrapes it: served by the app's listener (lib/http/app-server.ts) behind
// METRICS_TOKEN, or by the separate metrics port; its counters follow MCP calls made through the gateway.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import parsePrometheusTextFormat, { type ParsedFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeHandler } from "@/gateway/http/node-handler";
import { flushAudit } from "@/lib/audit/record-audit";
import { createAppServer } from "@/lib/http/app-server";
import { metricsHandler } from "@/lib/metrics/metrics-handler";
import { startMetricsServer } from "@/lib/metrics/metrics-server";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

const TOKEN = "metrics-secret-0123456789abcdef";
const ARGUMENT = "a-tool-argument-that-must-not-become-a-label";

let stack: GatewayTestStack;
let app: Server;
let appUrl: string;
const servers: Server[] = [];

beforeAll(async () => {
  // On PostgreSQL when TEST_DATABASE_URL is set: the pool gauge then has samples.
  stack = await startGatewayTestStack({ postgresUrl: process.env.TEST_DATABASE_URL });
  app = createAppServer({
    next: (_req, res) => void res.writeHead(404).end("next"),
    mcp: createNodeHandler(stack.gateway),
    oauth: { matches: () => false, handle: () => undefined },
    metrics: metricsHandler(TOKEN),
    appUrl: stack.url,
  });
  appUrl = await listen(app);
}, 180_000);
afterAll(async () => {
  for (const s of [app, ...servers]) s?.close();
  await stack?.close();
});

type Scrape = ParsedFamily[] & { text: string };

async function scrape(url = `${appUrl}/metrics`, token: string | undefined = TOKEN): Promise<Scrape> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  const text = await res.text();
  return Object.assign(parsePrometheusTextFormat(text), { text });
}

function sample(families: Scrape, name: string, labels: Record<string, string>): number {
  const family = families.find((f) => f.name === name);
  if (family?.type === "HISTOGRAM") return histogramCount(families.text, name, labels);
  const found = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return found ? Number(found.value) : 0;
}

// The parser folds a labelled histogram's series into one: its _count lines are read from the text.
function histogramCount(text: string, name: string, labels: Record<string, string>): number {
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`${name}_count{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("[observe] metrics", () => {
  it("an operator scrapes /metrics with the bearer secret, and its counters move as alice calls tools", async () => {
    await stack.linkGitLab("alice");
    const before = await scrape();
    const client = await stack.connect("alice");
    try {
      await client.listTools();
      for (let i = 0; i < 2; i++) await client.callTool({ name: "utils_echo", arguments: { text: ARGUMENT } });
      for (let i = 0; i < 2; i++) await client.callTool({ name: "tickets_whoami" });
      await client.callTool({ name: "gitlab_get_current_user" });
    } finally {
      await client.close();
    }
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);

    const echo = { method: "tools/call", backend: "utils", outcome: "success" };
    expect(delta("gatehouse_gateway_requests_total", echo)).toBe(2);
    expect(delta("gatehouse_gateway_request_duration_seconds", echo)).toBe(2); // the histogram's count
    expect(delta("gatehouse_gateway_requests_total", { method: "tools/list", outcome: "success" })).toBe(1);
    expect(delta("gatehouse_upstream_duration_seconds", { backend: "tickets", outcome: "success" })).toBe(2);
    // The first token exchange misses the cache, the second finds it.
    expect(delta("gatehouse_credential_cache_requests_total", { cache: "issued_token", result: "miss" })).toBeGreaterThanOrEqual(1);
    expect(delta("gatehouse_credential_cache_requests_total", { cache: "issued_token", result: "hit" })).toBeGreaterThanOrEqual(1);
    expect(delta("gatehouse_credential_cache_requests_total", { cache: "linked_account", result: "miss" })).toBeGreaterThanOrEqual(1);
    expect(delta("gatehouse_gateway_http_responses_total", { code: "200" })).toBeGreaterThanOrEqual(6);
    expect(sample(after, "gatehouse_linked_accounts", { provider: "gitlab", state: "active" })).toBe(1);

    await flushAudit();
    expect(sample(await scrape(), "gatehouse_audit_queue_depth", {})).toBe(0);
    const names = after.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(["process_resident_memory_bytes", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"]),
    );
    // PGlite has no pool: the gauge has no samples rather than made-up ones.
    const pool = after.find((f) => f.name === "gatehouse_db_pool_connections")?.metrics ?? [];
    if (stack.db.kind === "pglite") expect(pool).toEqual([]);
    else expect(sample(after, "gatehouse_db_pool_connections", { state: "total" })).toBeGreaterThanOrEqual(1);
  });

  it("no label carries a user id, a user name, a token or a tool argument", async () => {
    const token = await stack.tokenFor("bob");
    const client = await stack.connect("bob", { token });
    try {
      await client.callTool({ name: "utils_echo", arguments: { text: ARGUMENT } });
      // A failing call whose error text names the argument: the outcome label stays a fixed word.
      await client.callTool({ name: "utils_sleep", arguments: { ms: 5_000, note: ARGUMENT } }).catch(() => undefined);
    } finally {
      await client.close();
    }
    const userIds = [await stack.userIdOf("alice"), await stack.userIdOf("bob")];
    const values = (await scrape()).flatMap((f) => f.metrics.flatMap((m) => Object.values(m.labels ?? {})));
    expect(values.length).toBeGreaterThan(10);
    for (const value of values) {
      for (const forbidden of [...userIds, token, ARGUMENT, "alice", "bob"]) expect(value).not.toContain(forbidden);
      expect(value).not.toMatch(/^ey[A-Za-z0-9_-]{10,}/); // no JWT
    }
    const outcomes = new Set(
      (await scrape()).find((f) => f.name === "gatehouse_gateway_requests_total")!.metrics.map((m) => m.labels!.outcome),
    );
    for (const o of outcomes)
      expect(["success", "error", "timeout", "link_required", "link_rejected", "misconfigured", "sign_in_ended"]).toContain(o);
  });

  it("a scrape without the bearer secret, or with a wrong one, is refused with 401", async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: "Bearer wrong-secret-wrong-secret" },
      { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN}x` },
    ]) {
      const res = await fetch(`${appUrl}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
      expect(await res.text()).not.toContain("gatehouse_");
    }
    expect((await fetch(`${appUrl}/metrics`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
  });

  it("without METRICS_TOKEN the app's listener does not serve /metrics; the separate port does, and only /metrics", async () => {
    const plain = createAppServer({
      next: (_req, res) => void res.writeHead(404).end("next"),
      mcp: createNodeHandler(stack.gateway),
      oauth: { matches: () => false, handle: () => undefined },
      appUrl: stack.url,
    });
    const plainUrl = await listen(plain);
    servers.push(plain);
    const res = await fetch(`${plainUrl}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("next");

    const port = await startMetricsServer({ port: 0, host: "127.0.0.1" });
    servers.push(port);
    const portUrl = `http://127.0.0.1:${(port.address() as AddressInfo).port}`;
    expect((await scrape(`${portUrl}/metrics`, undefined)).some((f) => f.name === "gatehouse_gateway_requests_total")).toBe(true);
    expect((await fetch(`${portUrl}/api/mcp`)).status).toBe(404);

    const guarded = await startMetricsServer({ port: 0, host: "127.0.0.1", token: TOKEN });
    servers.push(guarded);
    const guardedUrl = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}/metrics`;
    expect((await fetch(guardedUrl)).status).toBe(401);
    expect((await scrape(guardedUrl)).length).toBeGreaterThan(0);
  });
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
