// One replica of the fault suite (a child process; not shipped code): the app's own listener
// (lib/http/app-server.ts: request tracking, body limits) with the gateway, the authorization server
// and the health probes in place of Next, configured by its environment like the app, and the app's
// shutdown sequence on SIGTERM. Prints its port as its first line.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { closeGateway, createNodeHandler } from "@/gateway";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { checkReadiness } from "@/lib/health/check-readiness";
import { shutDownGracefully } from "@/lib/health/graceful-shutdown";
import { createAppServer } from "@/lib/http/app-server";
import { handleOAuthRequest, isOAuthPath } from "@/lib/oauth-server";
import { startUp } from "@/lib/start-up";

await startUp();
await getDb().$queryRaw`SELECT 1`;

// What app/api/health/{live,ready} answer under Next.
async function health(req: IncomingMessage, res: ServerResponse) {
  if (req.url === "/api/health/live") return void res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
  if (req.url !== "/api/health/ready") return void res.writeHead(404).end();
  const readiness = await checkReadiness();
  res.writeHead(readiness.ready ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(readiness));
}

const server = createAppServer({
  next: health,
  mcp: createNodeHandler(),
  oauth: { matches: isOAuthPath, handle: handleOAuthRequest },
  appUrl: env().APP_URL,
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.once("SIGTERM", () => {
  void shutDownGracefully({ signal: "SIGTERM", server, graceMs: env().SHUTDOWN_GRACE_SECONDS * 1000, closeParts: closeGateway }).then(() =>
    process.exit(0),
  );
});
