// The fault suite's steady load: real MCP clients (SDK v1) as alice through the round-robin proxy,
// so consecutive requests of one session land on different replicas, calling the GitLab-like linked
// backend and the open one in turn at a fixed rate (open loop: a slow answer does not slow the rate).
// Every call is kept (when, which backend, ok or the failure's message, latency) for the phases to
// count over their own windows.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { failureKind, failureShape, type FailureKind } from "@/bench/faults/failure-kinds";

const CALL_TIMEOUT_MS = 30_000;
const TOKEN_REFRESH_MS = 60_000;
const TICK_MS = 10;

export interface CallRecord {
  at: number;
  /** The call's number, sent as utils_add's `a`: its audit row (arguments recorded) names it. */
  seq: number;
  backend: "gitlab" | "utils";
  ok: boolean;
  ms: number;
  error?: string;
}

export interface LoadWindow {
  calls: number;
  ok: number;
  failed: number;
  byBackend: Record<string, { ok: number; failed: number }>;
  failures: { message: string; count: number; kind: FailureKind }[];
  maxFailureMs: number;
}

export interface LoadDriver {
  records: CallRecord[];
  /** Calls started at or after `from` (performance.now()), and before `to`. */
  window(from: number, to?: number): LoadWindow;
  stop(): Promise<void>;
}

const tool = (backend: CallRecord["backend"], seq: number) =>
  backend === "gitlab" ? { name: "gitlab_get_current_user", arguments: {} } : { name: "utils_add", arguments: { a: seq, b: 0 } };

/** An SDK v1 client on `mcpUrl` whose bearer token is asked of `token()` on every request. */
export async function connectClient(mcpUrl: string, token: () => string, name = "faults-load"): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    fetch: (url, init) => {
      const headers = new Headers(init?.headers);
      headers.set("authorization", `Bearer ${token()}`);
      // A signal per request following the transport's: undici would otherwise pile its abort
      // listeners on the transport's one signal until garbage collection.
      return fetch(url, { ...init, headers, ...(init?.signal ? { signal: AbortSignal.any([init.signal]) } : {}) });
    },
  });
  await client.connect(transport);
  return client;
}

export async function startLoad(opts: {
  mcpUrl: string;
  newToken: () => Promise<string>;
  callsPerSecond: number;
  clients: number;
}): Promise<LoadDriver> {
  let token = await opts.newToken();
  const refresh = setInterval(
    () =>
      void opts.newToken().then(
        (t) => (token = t),
        () => undefined,
      ),
    TOKEN_REFRESH_MS,
  );
  const clients = await Promise.all(
    Array.from({ length: opts.clients }, (_, i) => connectClient(opts.mcpUrl, () => token, `faults-load-${i}`)),
  );
  const records: CallRecord[] = [];
  const inflight = new Set<Promise<void>>();
  let n = 0;
  const startedAt = performance.now();
  // Timers run late on a busy machine: each tick starts every call now due, keeping the rate.
  const tick = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) / 1000) * opts.callsPerSecond);
    while (n < due) startCall();
  }, TICK_MS);
  function startCall() {
    const seq = n++;
    const backend = seq % 2 === 0 ? "gitlab" : "utils";
    const client = clients[seq % clients.length]!;
    const at = performance.now();
    const call = client
      .callTool(tool(backend, seq), undefined, { timeout: CALL_TIMEOUT_MS })
      .then(
        (result) => {
          const text = (result.content as { type: string; text?: string }[] | undefined)?.[0]?.text ?? "";
          return result.isError ? { ok: false, error: text || "a tool error without text" } : { ok: true };
        },
        (e: unknown) => ({ ok: false, error: (e as Error).message }),
      )
      .then((r) => void records.push({ at, seq, backend, ms: performance.now() - at, ...r }))
      .finally(() => inflight.delete(call));
    inflight.add(call);
  }

  return {
    records,
    window(from, to = Infinity) {
      const inside = records.filter((r) => r.at >= from && r.at < to);
      const failures = new Map<string, number>();
      const byBackend: LoadWindow["byBackend"] = { gitlab: { ok: 0, failed: 0 }, utils: { ok: 0, failed: 0 } };
      let maxFailureMs = 0;
      for (const r of inside) {
        byBackend[r.backend]![r.ok ? "ok" : "failed"]++;
        if (r.ok) continue;
        const shape = failureShape(r.error ?? "");
        failures.set(shape, (failures.get(shape) ?? 0) + 1);
        maxFailureMs = Math.max(maxFailureMs, r.ms);
      }
      return {
        calls: inside.length,
        ok: inside.filter((r) => r.ok).length,
        failed: inside.filter((r) => !r.ok).length,
        byBackend,
        failures: [...failures].map(([message, count]) => ({ message, count, kind: failureKind(message) })),
        maxFailureMs: Math.round(maxFailureMs),
      };
    },
    async stop() {
      clearInterval(tick);
      clearInterval(refresh);
      await Promise.allSettled([...inflight]);
      await Promise.allSettled(clients.map((c) => c.close()));
    },
  };
}
