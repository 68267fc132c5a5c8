// The refresh storm: alice's linked GitLab token crosses the token broker's refresh-ahead line
// (REFRESH_AHEAD_MS, 120 s) while it sits warm in the gateway's cache, and 200 calls arrive at
// once. The broker should refresh it exactly once at GitLab, and every call should succeed as alice.
//
// How: GitLab's token life is set to 135 s for the link, so for its first 15 s the token is fresh
// (the gitlab upstream session and the token cache are warmed then), and after that any call must
// refresh. The life goes back to 7200 s before the storm, so the refreshed token does not need
// another refresh.
//
// With a second replica (--scale on PostgreSQL: a second app process on the same database), both
// replicas hold the warm token and the burst is split between them: still exactly 1 refresh, as the
// refresh is claimed on the link's row.
import { linkGitLab } from "@/bench/link-account";
import type { LoadGenerator } from "@/bench/load";
import type { LoadResult } from "@/bench/load-protocol";
import type { LatencySummary } from "@/bench/stats";
import { callBody, gatewaySession, loopback } from "@/bench/targets";
import { keycloakToken } from "@/bench/tokens";
import type { AppReplica, Stack } from "@/e2e/stack";

const FRESH_FOR_S = 15;
const NORMAL_TTL_S = 7200;
const WARM_CALLS = 20;

export interface StormResult {
  calls: number;
  ok: number;
  errors: number;
  errorSample?: string;
  /** Refresh grants GitLab performed during the storm. */
  refreshes: number;
  /** Refreshes while the token was still fresh, and after the storm: both should be 0. */
  refreshesBefore: number;
  refreshesAfter: number;
  /** How long the cached token still had to live, at most, when the storm started, seconds. */
  tokenLifeLeftS: number;
  latency: LatencySummary;
  elapsedMs: number;
  /** App processes the burst was split across (1, or 2 with a second replica). */
  replicas: number;
}

export async function measureRefreshStorm(o: {
  stack: Stack;
  load: LoadGenerator;
  calls: number;
  log(line: string): void;
  /** A second replica: warmed too, and given every other call of the burst. */
  replica?: AppReplica;
}): Promise<StormResult> {
  // Loaded here: lib/links reads the configuration on load, which the seed has set by now.
  const { REFRESH_AHEAD_MS } = await import("@/lib/links/refresh-link");
  const LINK_TTL_S = REFRESH_AHEAD_MS / 1000 + FRESH_FOR_S;
  const { world } = o.stack;
  const counters = world.gitlab.counters;
  const headers = await gatewaySession(o.stack, await keycloakToken(o.stack.world, "alice"));
  // The session id is signed, so either replica takes it.
  const targetsAt = (mcpUrl: string) => {
    const target = (tool: string, args?: Record<string, unknown>, expect?: string) => ({
      name: `gateway ${tool}`,
      url: loopback(mcpUrl),
      headers,
      body: callBody(tool, args),
      expect,
    });
    return {
      target: target("gitlab_get_current_user", {}, '\\"username\\":\\"alice\\"'),
      warm: target("utils_echo", { text: "bench" }, "bench"),
    };
  };
  const replicas = [targetsAt(o.stack.mcpUrl), ...(o.replica ? [targetsAt(o.replica.mcpUrl)] : [])];
  const { target: gitlab, warm: echo } = replicas[0]!;

  // JIT and the gateway's caches warm first, so the storm measures the refresh, not a cold process.
  for (const r of replicas) await o.load.run({ kind: "concurrent", target: r.warm, connections: 16, seconds: 2 });

  world.gitlab.setAccessTokenTtl(LINK_TTL_S);
  try {
    await linkGitLab({
      appUrl: o.stack.appUrl,
      world,
      keycloak: { username: "alice", password: "alice-password" },
      gitlab: { username: "alice", password: "alice-gitlab" },
    });
  } finally {
    world.gitlab.setAccessTokenTtl(NORMAL_TTL_S);
  }
  // The token was issued before this moment, so it expires at the latest LINK_TTL_S from now.
  const expiresBy = Date.now() + LINK_TTL_S * 1000;

  const start = counters.refreshes;
  for (const r of replicas) {
    const warm = await o.load.run({ kind: "sequential", target: r.target, requests: WARM_CALLS, maxSeconds: 10 });
    if (warm.errors) throw new Error(`warming alice's GitLab calls failed: ${warm.errorSample}`);
  }
  const refreshesBefore = counters.refreshes - start;

  // From here on the token has less than REFRESH_AHEAD_MS to live.
  const crossesAt = expiresBy - REFRESH_AHEAD_MS + 500;
  await new Promise((r) => setTimeout(r, Math.max(0, crossesAt - Date.now())));
  const tokenLifeLeftS = (expiresBy - Date.now()) / 1000;

  const before = counters.refreshes;
  const storm: LoadResult = await o.load.run({
    kind: "burst",
    target: gitlab,
    warm: echo,
    count: o.calls,
    maxSeconds: 60,
    replicas: replicas.length > 1 ? replicas : undefined,
  });
  const refreshes = counters.refreshes - before;
  const after = await o.load.run({ kind: "sequential", target: gitlab, requests: WARM_CALLS, maxSeconds: 10 });
  const refreshesAfter = counters.refreshes - before - refreshes;
  o.log(
    `refresh storm: ${o.calls} calls on ${replicas.length} replica(s), ${refreshes} refresh(es) at GitLab, ${storm.errors} errors, p50 ${(storm.latency.p50 / 1000).toFixed(1)} ms, max ${(storm.latency.max / 1000).toFixed(1)} ms`,
  );
  return {
    calls: o.calls,
    ok: storm.ok,
    errors: storm.errors + after.errors,
    errorSample: storm.errorSample ?? after.errorSample,
    refreshes,
    refreshesBefore,
    refreshesAfter,
    tokenLifeLeftS,
    latency: storm.latency,
    elapsedMs: storm.elapsedMs,
    replicas: replicas.length,
  };
}
