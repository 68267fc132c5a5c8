// Production entry point (`npm start`, the demo): one process, one HTTP listener. MCP traffic goes
// straight to the gateway's Node handler, off Next's router (measured: a Next route handler serves
// ~1,160 req/s here where a bare Node handler serves ~36,000); everything else goes to Next.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import v8 from "node:v8";

// Memory (issue 6 asks for a peak RSS ≤ 300 MB), set before anything below loads:
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
const { log } = await import("@/lib/log");
const { flushAudit } = await import("@/lib/audit/record-audit");
const { closeDb } = await import("@/lib/db");
const { closeGateway, createNodeHandler } = await import("@/gateway");
const { refuseDuplicateAuthorization } = await import("@/lib/auth/duplicate-authorization");

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

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
  await startUp();
  const app = next({ dev: false, hostname: e.HOST, port: e.PORT, dir: process.cwd() });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  const mcpHandler = await loadGateway();

  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (mcpHandler && (path === "/api/mcp" || path.startsWith("/api/mcp/") || path.startsWith("/api/mcp?"))) {
      return void mcpHandler(req, res);
    }
    if (refuseDuplicateAuthorization(req, res)) return; // Next sees only the first of them
    void nextHandler(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(e.PORT, e.HOST, () => log.info({ url: e.APP_URL, listen: `${e.HOST}:${e.PORT}` }, "gatehouse is listening"));

  const stop = async (signal: string) => {
    log.info({ signal }, "shutting down");
    server.close();
    server.closeIdleConnections();
    await closeGateway();
    await flushAudit();
    await closeDb();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

/** The MCP gateway's Node handler, when the gateway is built in (see gateway/). */
async function loadGateway(): Promise<NodeHandler | undefined> {
  return createNodeHandler();
}

main().catch((err) => {
  log.fatal({ err: err instanceof Error ? err.message : String(err) }, "start-up failed");
  process.exit(1);
});
