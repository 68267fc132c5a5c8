// A stand-in OTLP/HTTP collector for `npm run bench -- --tracing`: accepts the exporter's POSTs to
// /v1/traces, counts them, and throws the spans away, so the run measures the app's tracing cost
// (spans, context, batching, export) and not a collector's.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface TraceSink {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  exports: number;
  bytes: number;
  close(): Promise<void>;
}

export async function startTraceSink(): Promise<TraceSink> {
  const sink = { exports: 0, bytes: 0 };
  const server = createServer((req, res) => {
    req.on("data", (chunk: Buffer) => (sink.bytes += chunk.length));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") sink.exports++;
      res.writeHead(req.method === "POST" ? 200 : 404, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(sink, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
