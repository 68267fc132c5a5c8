// Production entry point (`npm start`, the demo): one process, one HTTP listener (lib/http/app-server.ts:
// security headers, body limits, then MCP traffic to the gateway's Node handler and the rest to Next).
import v8 from "node:v8";

// Memory (the goal is a peak RSS ≤ 300 MB), set before anything below loads:
// - tsx turns on source maps, and Node then keeps every loaded module's map (Next's server chunks ship
//   .map files) as strings: ~27 MB of heap measured. Stack traces show built positions instead.
// - PGlite's 8.7 MB Postgres WebAssembly (and Prisma's query compiler) get only V8's baseline
//   compiler: the optimizing tier added ~55 MB of compiled code and compiler memory, and the
//   database is off the gateway's hot path (measured: 2,000 PGlite queries no slower).
// (`npm start` also passes --max-semi-space-size=4, which only works as a start-up flag: V8's default
// 16 MB semi-spaces kept ~50 MB more resident under load, with no throughput change measured.)
process.setSourceMapsEnabled(false);
v8.setFlagsFromString("--liftoff-only");
const { default: next } = await import("next");
const { ConfigError, env } = await import("@/lib/env");
const { startUp } = await import("@/lib/start-up");
const { shutDownGracefully } = await import("@/lib/health/graceful-shutdown");
const { log } = await import("@/lib/log");
const { closeGateway, createNodeHandler } = await import("@/gateway");
const { createAppServer } = await import("@/lib/http/app-server");
const { handleOAuthRequest, isOAuthPath } = await import("@/lib/oauth-server");
const { metricsHandler } = await import("@/lib/metrics/metrics-handler");
const { startMetricsServer } = await import("@/lib/metrics/metrics-server");
const { startTracing, stopTracing } = await import("@/lib/tracing/start-tracing");

async function main() {
  let e;
  try {
    e = env();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // Before the first request: spans need the provider and context manager in place.
  if (startTracing()) log.info({ endpoint: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT }, "tracing is on");
  await startUp();
  const app = next({ dev: false, hostname: e.HOST, port: e.PORT, dir: process.cwd() });
  await app.prepare();
  const server = createAppServer({
    next: app.getRequestHandler(),
    mcp: createNodeHandler(),
    oauth: { matches: isOAuthPath, handle: handleOAuthRequest },
    metrics: e.METRICS_TOKEN ? metricsHandler(e.METRICS_TOKEN) : undefined,
    appUrl: e.APP_URL,
  });
  const metricsServer = e.METRICS_PORT
    ? await startMetricsServer({ port: e.METRICS_PORT, host: e.METRICS_HOST, token: e.METRICS_TOKEN })
    : undefined;
  if (metricsServer) log.info({ listen: `${e.METRICS_HOST}:${e.METRICS_PORT}` }, "metrics are served on their own port");
  server.keepAliveTimeout = 65_000;
  server.listen(e.PORT, e.HOST, () => log.info({ url: e.APP_URL, listen: `${e.HOST}:${e.PORT}` }, "gatehouse is listening"));

  // Graceful shutdown (lib/health/graceful-shutdown.ts): readiness 503 first, in-flight calls finish.
  const stop = async (signal: string) => {
    await shutDownGracefully({
      signal,
      server,
      graceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
      closeParts: async () => {
        metricsServer?.close();
        await closeGateway();
        await stopTracing();
      },
    });
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  log.fatal({ err: err instanceof Error ? err.message : String(err) }, "start-up failed");
  process.exit(1);
});
