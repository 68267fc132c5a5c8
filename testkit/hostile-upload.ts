// A hostile upload for body-limit tests: `total` bytes POSTed chunked (or with a declared length),
// generated as they are sent so the test itself holds only one 64 KB chunk; it stops sending as soon
// as the server answers or hangs up.
import { request } from "node:http";
import { Readable } from "node:stream";

export interface UploadOutcome {
  status?: number;
  body?: string;
  /** The socket error when the server hung up instead of answering (ECONNRESET, EPIPE). */
  error?: string;
  /** Bytes the client handed to its socket before it stopped. */
  sent: number;
}

export function hostileUpload(
  url: string,
  total: number,
  opts: { contentLength?: number; headers?: Record<string, string> } = {},
): Promise<UploadOutcome> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const source = new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  return new Promise((resolve) => {
    const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
    if (opts.contentLength !== undefined) headers["content-length"] = String(opts.contentLength);
    const req = request(url, { method: "POST", headers });
    let done = false;
    const finish = (o: Omit<UploadOutcome, "sent">) => {
      if (done) return;
      done = true;
      source.unpipe(req);
      source.destroy();
      req.destroy();
      resolve({ ...o, sent });
    };
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => finish({ status: res.statusCode, body }));
      res.on("error", () => finish({ status: res.statusCode, body }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => finish({ error: e.code ?? e.message }));
    source.pipe(req);
  });
}

/** Refused: answered 413, or cut off by the server. */
export const uploadRefused = (o: UploadOutcome) => o.status === 413 || o.error === "ECONNRESET" || o.error === "EPIPE";

/** Runs `work` while sampling `rss()` every 10 ms; returns how far it rose above where it started. */
export async function peakGrowth<T>(rss: () => number, work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const start = rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, rss())), 10);
  try {
    const result = await work();
    peak = Math.max(peak, rss());
    return { result, growth: peak - start };
  } finally {
    clearInterval(timer);
  }
}
