// The load balancer in front of the fault suite's replicas: requests alternate between them; a
// replica whose readiness answers 503 (polled every READINESS_POLL_MS) or whose connection is
// refused is skipped, as a real load balancer does. With no replica ready (a database outage makes
// every one unready) it fails open and sends to any replica that accepts connections, as load
// balancers' "panic" modes do, so the replicas' own answers reach the clients.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const READINESS_POLL_MS = 100;

interface Target {
  name: string;
  url: URL;
  ready: boolean;
  /** Requests sent to it, and sent to it while it was not ready (failing open). */
  sent: number;
}

export interface RoundRobinProxy {
  url: string;
  add(name: string, url: string): void;
  remove(name: string): void;
  /** Requests each replica got, by name. */
  sentTo(): Record<string, number>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  const targets: Target[] = [];
  let turn = 0;
  const poll = setInterval(() => {
    for (const t of targets) {
      fetch(new URL("/api/health/ready", t.url), { signal: AbortSignal.timeout(1_000) }).then(
        (r) => void ((t.ready = r.ok), r.body?.cancel()),
        () => void (t.ready = false),
      );
    }
  }, READINESS_POLL_MS);

  const order = (): Target[] => {
    const start = turn++;
    const rotated = targets.map((_, i) => targets[(start + i) % targets.length]!);
    return [...rotated.filter((t) => t.ready), ...rotated.filter((t) => !t.ready)];
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => void forward(req, res, Buffer.concat(chunks), order()));
  });

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, candidates: Target[]): void {
    const target = candidates.shift();
    if (!target) return void res.writeHead(502, { "content-type": "text/plain" }).end("no replica accepted the connection");
    target.sent++;
    const upstream = request(
      new URL(req.url ?? "/", target.url),
      { method: req.method, headers: { ...req.headers, host: target.url.host }, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        res.once("close", () => answer.destroy());
      },
    );
    upstream.once("error", (e: NodeJS.ErrnoException) => {
      // Refused: the request never reached that replica, so the next one may take it.
      if (!res.headersSent && e.code === "ECONNREFUSED") {
        target.ready = false;
        return forward(req, res, body, candidates);
      }
      res.destroy();
    });
    upstream.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    add: (name, url) => void targets.push({ name, url: new URL(url), ready: true, sent: 0 }),
    remove: (name) => void targets.splice(targets.findIndex((t) => t.name === name) >>> 0, 1),
    sentTo: () => Object.fromEntries(targets.map((t) => [t.name, t.sent])),
    async close() {
      clearInterval(poll);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
