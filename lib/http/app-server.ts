// The one HTTP listener of `npm start` (server.ts): security headers on every response, each body
// under its route family's size limit before any handler sees it, then MCP traffic straight to the
// gateway's Node handler (off Next's router: a Next route handler serves ~1,160 req/s here where a
// bare Node handler serves ~36,000), /metrics to the Prometheus exposition when METRICS_TOKEN guards
// it (lib/metrics), and everything else to Next.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { refuseDuplicateAuthorization } from "@/lib/auth/duplicate-authorization";
import { trackRequest } from "@/lib/health/draining";
import { bodyLimitFor, enforceBodyLimit, isMcpPath } from "@/lib/http/body-limit";
import { securityHeaders } from "@/lib/http/security-headers";
import { isMetricsPath } from "@/lib/metrics/metrics-handler";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface AppHandlers {
  /** Next's request handler: pages, server actions, next-auth, the admin API. */
  next: NodeHandler;
  /** The MCP gateway's Node handler for /api/mcp and /api/mcp/<slug>. */
  mcp: NodeHandler;
  /** Gatehouse's authorization server for MCP clients (lib/oauth-server): /oauth/* and its metadata. */
  oauth: { matches(path: string): boolean; handle: NodeHandler };
  /** GET /metrics behind its bearer secret; unset, /metrics is Next's (a 404). */
  metrics?: NodeHandler;
  appUrl: string;
}

export function createAppServer(handlers: AppHandlers): Server {
  const headers = Object.entries(securityHeaders(handlers.appUrl));
  return createServer((req, res) => {
    // Counted until the response ends (or the client goes): graceful shutdown waits for these.
    const done = trackRequest();
    res.once("close", done);
    for (const [name, value] of headers) res.setHeader(name, value);
    const path = req.url ?? "/";
    if (!enforceBodyLimit(req, res, bodyLimitFor(path))) return;
    // The gateway counts Authorization headers itself; Next would see only the first of them.
    if (!isMcpPath(path) && refuseDuplicateAuthorization(req, res)) return;
    if (handlers.metrics && isMetricsPath(path)) return void handlers.metrics(req, res);
    const handler = isMcpPath(path) ? handlers.mcp : handlers.oauth.matches(path) ? handlers.oauth.handle : handlers.next;
    void handler(req, res);
  });
}
