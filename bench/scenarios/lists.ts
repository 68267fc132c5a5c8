// tools/list through the gateway over 10 backends: the four seeded ones plus six open backends with
// 20 extra tools each, registered through the admin REST API like an admin would.
// Cold: right after a change to every backend (which drops their cached lists, upstream sessions and
// exchanged tokens), so the gateway initializes 10 upstream sessions and fetches 10 lists.
// Cached: repeated lists while everything is cached.
import type { LoadGenerator } from "@/bench/load";
import type { Target } from "@/bench/load-protocol";
import { summarize, type LatencySummary } from "@/bench/stats";
import { gatewaySession, loopback } from "@/bench/targets";
import { keycloakToken } from "@/bench/tokens";
import type { Stack } from "@/e2e/stack";
import { startOpenBackend, type TestBackend } from "@/e2e/world/backends";

const EXTRA_BACKENDS = 6;
const EXTRA_TOOLS = 20;

export interface ListResult {
  backends: number;
  tools: number;
  /** One list right after every backend changed, per sample. */
  cold: LatencySummary;
  coldSamplesUs: number[];
  cached: LatencySummary;
  errors: number;
  errorSample?: string;
}

export function registerExtraBackends(stack: Stack): Promise<TestBackend[]> {
  return registerOpenBackends(stack, EXTRA_BACKENDS, "bench");
}

/** Starts `count` open backends with EXTRA_TOOLS tools each and registers them as `<prefix>-1`, `<prefix>-2`, …. */
export async function registerOpenBackends(stack: Stack, count: number, prefix: string): Promise<TestBackend[]> {
  const backends = await Promise.all(
    Array.from({ length: count }, (_, i) => startOpenBackend({ name: `${prefix}-${i + 1}`, tools: EXTRA_TOOLS })),
  );
  const admin = await adminHeaders(stack);
  for (const [i, b] of backends.entries()) {
    const body = { slug: `${prefix}-${i + 1}`, displayName: `${prefix} ${i + 1}`, url: b.url, auth: { mode: "none" } };
    const res = await fetch(`${stack.appUrl}/api/admin/backends`, { method: "POST", headers: admin, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`registering backend ${body.slug} failed: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  return backends;
}

export async function listBackends(stack: Stack, admin: Record<string, string>): Promise<{ id: string; slug: string }[]> {
  const res = await fetch(`${stack.appUrl}/api/admin/backends`, { headers: admin });
  if (!res.ok) throw new Error(`listing backends failed: ${res.status}`);
  return ((await res.json()) as { backends: { id: string; slug: string }[] }).backends;
}

export async function adminHeaders(stack: Stack): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await keycloakToken(stack.world, "admin")}`, "content-type": "application/json" };
}

/** Edits every backend (a timeout that alternates by a millisecond): each edit drops what the gateway cached for it. */
async function touchEveryBackend(stack: Stack, round: number): Promise<number> {
  const admin = await adminHeaders(stack);
  const backends = await listBackends(stack, admin);
  for (const b of backends) {
    const res = await fetch(`${stack.appUrl}/api/admin/backends/${b.id}`, {
      method: "PATCH",
      headers: admin,
      body: JSON.stringify({ timeoutMs: 30_000 + (round % 2) }),
    });
    if (!res.ok) throw new Error(`editing backend ${b.id} failed: ${res.status}`);
  }
  return backends.length;
}

export async function measureLists(o: {
  stack: Stack;
  load: LoadGenerator;
  coldSamples: number;
  cachedCalls: number;
  log(line: string): void;
}): Promise<ListResult> {
  const headers = await gatewaySession(o.stack, await keycloakToken(o.stack.world, "alice"));
  const target: Target = {
    name: "gateway tools/list",
    url: loopback(o.stack.mcpUrl),
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  };
  const coldSamplesUs: number[] = [];
  let errors = 0;
  let errorSample: string | undefined;
  for (let i = 0; i < o.coldSamples; i++) {
    await touchEveryBackend(o.stack, i);
    const cold = await o.load.run({ kind: "sequential", target, requests: 1, maxSeconds: 30 });
    errors += cold.errors;
    errorSample ??= cold.errorSample;
    if (cold.ok) coldSamplesUs.push(cold.latency.p50);
  }
  const cached = await o.load.run({ kind: "sequential", target, requests: o.cachedCalls, maxSeconds: 60 });
  errors += cached.errors;
  errorSample ??= cached.errorSample;
  const { backends, tools } = await countListed(target);
  const result = { backends, tools, cold: summarize(coldSamplesUs), coldSamplesUs, cached: cached.latency, errors, errorSample };
  o.log(
    `tools/list: ${tools} tools of ${backends} backends; cold p50 ${ms(result.cold.p50)}, cached p50 ${ms(result.cached.p50)} p99 ${ms(result.cached.p99)}`,
  );
  return result;
}

/** Backends and tools in the whole list, following its pages. */
export async function countListed(target: Target): Promise<{ backends: number; tools: number }> {
  const tools: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const body = JSON.stringify({ ...(JSON.parse(target.body) as object), ...(cursor ? { params: { cursor } } : {}) });
    const res = await fetch(target.url, { method: "POST", headers: target.headers, body });
    const text = await res.text();
    const json = text.startsWith("{") ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? "{}");
    const result = (JSON.parse(json) as { result?: { tools?: { name: string }[]; nextCursor?: string } }).result;
    tools.push(...(result?.tools ?? []).map((t) => t.name));
    cursor = result?.nextCursor;
    if (!cursor) break;
  }
  return { backends: new Set(tools.map((n) => n.slice(0, n.indexOf("_")))).size, tools: tools.length };
}

const ms = (us: number) => `${(us / 1000).toFixed(2)} ms`;
