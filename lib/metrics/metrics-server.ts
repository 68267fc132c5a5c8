// The separate metrics listener (METRICS_PORT): /metrics and nothing else, so the port can be exposed
// to the scraper alone while the app's port faces users.
import { createServer, type Server } from "node:http";
import { isMetricsPath, metricsHandler } from "@/lib/metrics/metrics-handler";

export function startMetricsServer(opts: { port: number; host: string; token?: string }): Promise<Server> {
  const handle = metricsHandler(opts.token);
  const server = createServer((req, res) => {
    if (isMetricsPath(req.url ?? "/")) {
      handle(req, res).catch(() => res.destroy());
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("Not found: this port serves /metrics only.\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}
