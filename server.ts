// Production entry point (`npm start`, the demo): one process, one HTTP listener. MCP traffic goes
// straight to the gateway's Node handler, off Next's router (measured: a Next route handler serves
// ~1,160 req/s here where a bare Node handler serves ~36,000); everything else goes to Next.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { ConfigError, env } from "./lib/env";
import { startUp } from "./lib/start-up";
import { log } from "./lib/log";
import { flushAudit } from "./lib/audit/record-audit";
import { closeDb } from "./lib/db";
import { closeGateway, createNodeHandler } from "./gateway";

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
