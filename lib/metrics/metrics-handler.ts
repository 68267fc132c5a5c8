// GET /metrics — the Prometheus text exposition. Behind a bearer secret (METRICS_TOKEN) when one is
// set; otherwise only on the separate metrics listener (METRICS_PORT), which a network policy or the
// pod's port list keeps private. With neither configured, nothing serves metrics.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { collectGauges } from "@/lib/metrics/collect-gauges";
import { metrics } from "@/lib/metrics/metrics";

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** `token`: the bearer secret every scrape must send; undefined serves anyone who reaches the listener. */
export function metricsHandler(token: string | undefined): MetricsHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
      return void res.end("Method not allowed\n");
    }
    if (expected && !bearerMatches(req.headers.authorization, expected)) {
      res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"', "content-type": "text/plain", "cache-control": "no-store" });
      return void res.end("A bearer token (METRICS_TOKEN) is required.\n");
    }
    const { registry } = metrics();
    await collectGauges();
    const body = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}

/** Whether a path is the metrics endpoint (the query string is ignored). */
export const isMetricsPath = (url: string) => url === "/metrics" || url.startsWith("/metrics?");

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match !== null && timingSafeEqual(digest(match[1]!), expected);
}

// Digests compare in constant time whatever the lengths.
function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}
