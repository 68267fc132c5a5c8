// How cost grows with the deployment (`npm run bench -- --scale`): what a company sizing Gatehouse
// asks first. Runs after the main scenarios, on the same app:
// - tools/call (none mode, c=1) with 1, 10 and 100 backends enabled: added latency and app CPU per call;
// - cached tools/list over 10, 50 and 100 backends;
// - the app's RSS after 1, 1,000 and 10,000 distinct users each made a call through a token-exchange
//   backend (each user's token verified and cached, user row cached, exchanged token cached).
import { memoryOf } from "@/bench/app-process";
import type { LoadGenerator } from "@/bench/load";
import type { Target } from "@/bench/load-protocol";
import { job, measured, side } from "@/bench/scenarios/calls";
import { adminHeaders, countListed, listBackends, registerOpenBackends } from "@/bench/scenarios/lists";
import type { StormResult } from "@/bench/scenarios/storm";
import { callBody, gatewaySession, loopback, pairFor } from "@/bench/targets";
import type { Stack } from "@/e2e/stack";
import type { TestBackend } from "@/e2e/world/backends";

export const SCALE = { callBackends: [1, 10, 100], listBackends: [10, 50, 100], users: [1, 1_000, 10_000] };
/** Users are added 8 at a time, each with a password grant, an initialize and a call: ~10k take minutes. */
const RUNS = 3;
const SEQUENTIAL = 1_000;
const LISTS = 200;
const USER_CONCURRENCY = 8;

export interface ScaleResult {
  calls: {
    backends: number;
    directP50Us: number;
    gatewayP50Us: number;
    addedP50Us: number;
    addedP99Us: number;
    appCpuUs: number;
    errors: number;
  }[];
  lists: { backends: number; tools: number; p50Us: number; p99Us: number; errors: number }[];
  users: { users: number; rssMb: number; elapsedS: number; errors: number }[];
  /** On PostgreSQL: the refresh storm split across two replicas (bench/scenarios/storm.ts). */
  replicaStorm?: StormResult;
}

interface ScaleContext {
  stack: Stack;
  appPid: number;
  load: LoadGenerator;
  log(line: string): void;
  /** Backends this scenario starts; the caller closes them. */
  started: TestBackend[];
}

export async function measureScale(o: ScaleContext & { maxUsers: number }): Promise<ScaleResult> {
  const result: ScaleResult = { calls: [], lists: [], users: [] };
  const admin = await adminHeaders(o.stack);
  const seeded = await listBackends(o.stack, admin);
  // One backend: every backend but the open one ("utils", whose echo is called) is disabled.
  await setEnabled(
    o.stack,
    admin,
    seeded.filter((b) => b.slug !== "utils"),
    false,
  );
  result.calls.push(await measureCallsAt(o, 1));
  await setEnabled(o.stack, admin, seeded, true);
  for (const count of [...new Set([...SCALE.callBackends.slice(1), ...SCALE.listBackends])].sort((a, b) => a - b)) {
    const have = (await listBackends(o.stack, admin)).length;
    if (count > have) o.started.push(...(await registerOpenBackends(o.stack, count - have, `scale-${have}`)));
    if (SCALE.callBackends.includes(count)) result.calls.push(await measureCallsAt(o, count));
    if (SCALE.listBackends.includes(count)) result.lists.push(await measureCachedList(o, count));
  }
  result.users = await measureUsers(
    o,
    SCALE.users.filter((n) => n <= o.maxUsers),
  );
  return result;
}

async function measureCallsAt(o: ScaleContext, backends: number): Promise<ScaleResult["calls"][number]> {
  const pair = await pairFor(o.stack, "none");
  for (const target of [pair.direct, pair.gateway]) await o.load.run({ kind: "sequential", target, requests: 200, maxSeconds: 60 });
  const runs = { direct: [] as Awaited<ReturnType<typeof measured>>[], gateway: [] as Awaited<ReturnType<typeof measured>>[] };
  const options = { sequential: SEQUENTIAL, seconds: 1 } as Parameters<typeof job>[2];
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 === 0 ? (["direct", "gateway"] as const) : (["gateway", "direct"] as const);
    for (const which of order) runs[which].push(await measured(o.load, o.appPid, job(pair[which], 1, options)));
  }
  const direct = side(runs.direct);
  const gateway = side(runs.gateway);
  const cell = {
    backends,
    directP50Us: direct.p50Us,
    gatewayP50Us: gateway.p50Us,
    addedP50Us: gateway.p50Us - direct.p50Us,
    addedP99Us: gateway.p99Us - direct.p99Us,
    appCpuUs: gateway.appCpuUs,
    errors: direct.errors + gateway.errors,
  };
  o.log(
    `scale: ${backends} backend(s): added p50 ${Math.round(cell.addedP50Us)} µs, p99 ${Math.round(cell.addedP99Us)} µs, app CPU ${Math.round(cell.appCpuUs)} µs/call`,
  );
  return cell;
}

async function measureCachedList(o: ScaleContext, backends: number): Promise<ScaleResult["lists"][number]> {
  const headers = await gatewaySession(o.stack, await aliceToken(o.stack));
  const target: Target = {
    name: "gateway tools/list",
    url: loopback(o.stack.mcpUrl),
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  };
  // The first list after new backends fetches them; what is measured is the cached list.
  await o.load.run({ kind: "sequential", target, requests: 3, maxSeconds: 120 });
  const run = await o.load.run({ kind: "sequential", target, requests: LISTS, maxSeconds: 120 });
  const listed = await countListed(target);
  const cell = { backends: listed.backends, tools: listed.tools, p50Us: run.latency.p50, p99Us: run.latency.p99, errors: run.errors };
  if (listed.backends !== backends) o.log(`scale: WARNING expected ${backends} backends listed, saw ${listed.backends}`);
  o.log(`scale: cached tools/list over ${listed.backends} backends (${listed.tools} tools): p50 ${(cell.p50Us / 1000).toFixed(2)} ms`);
  return cell;
}

async function measureUsers(o: ScaleContext, steps: number[]): Promise<ScaleResult["users"]> {
  const { keycloak } = o.stack.world;
  const template = keycloak.users.find((u) => u.username === "alice")!;
  const cells: ScaleResult["users"] = [];
  let done = 0;
  for (const target of steps) {
    const started = Date.now();
    let errors = 0;
    let next = done;
    const worker = async () => {
      while (next < target) {
        const i = next++;
        const username = `scale-user-${i}`;
        keycloak.users.push({
          ...structuredClone(template),
          username,
          password: `pw-${i}`,
          sub: `scale-sub-${i}`,
          email: `${username}@example.com`,
          name: `Scale User ${i}`,
        });
        const ok = await callAs(o.stack, username, `pw-${i}`).catch(() => false);
        if (!ok) errors++;
      }
    };
    await Promise.all(Array.from({ length: USER_CONCURRENCY }, worker));
    done = target;
    const cell = { users: target, rssMb: memoryOf(o.appPid).rssMb, elapsedS: (Date.now() - started) / 1000, errors };
    o.log(`scale: ${target} users called through token exchange: app RSS ${cell.rssMb.toFixed(0)} MB (${errors} errors)`);
    cells.push(cell);
  }
  return cells;
}

/** One user as an MCP client: a Keycloak token, initialize, one tools/call through the exchange backend. */
async function callAs(stack: Stack, username: string, password: string): Promise<boolean> {
  const { access_token } = await stack.world.keycloak.passwordGrant({ username, password, clientId: stack.world.gatehouseClient.clientId });
  const headers = await gatewaySession(stack, access_token);
  const res = await fetch(loopback(stack.mcpUrl), { method: "POST", headers, body: callBody("tickets_whoami") });
  return res.ok && (await res.text()).includes(username);
}

async function aliceToken(stack: Stack): Promise<string> {
  return (
    await stack.world.keycloak.passwordGrant({
      username: "alice",
      password: "alice-password",
      clientId: stack.world.gatehouseClient.clientId,
    })
  ).access_token;
}

async function setEnabled(stack: Stack, admin: Record<string, string>, backends: { id: string }[], enabled: boolean): Promise<void> {
  for (const b of backends) {
    const res = await fetch(`${stack.appUrl}/api/admin/backends/${b.id}/${enabled ? "enable" : "disable"}`, {
      method: "POST",
      headers: admin,
    });
    if (!res.ok) throw new Error(`${enabled ? "enabling" : "disabling"} backend ${b.id} failed: ${res.status}`);
  }
}
