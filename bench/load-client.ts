// The load generator, run as a child process by load.ts: it takes jobs over IPC and answers with
// counts and exact latencies. Concurrent load is autocannon's; sequential calls and bursts use
// node:http keep-alive sockets and hrtime, for microsecond percentiles.
import http from "node:http";
import autocannon from "autocannon";
import { assertLoopback, isGoodBody, type LoadJob, type LoadResult, type Target } from "@/bench/load-protocol";
import { Samples, summarize } from "@/bench/stats";

type Reply = { status: number; body: string };

function post(agent: http.Agent, target: Target): Promise<Reply> {
  const u = new URL(target.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: "POST",
        agent,
        headers: { ...target.headers, "content-length": Buffer.byteLength(target.body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", reject);
    req.end(target.body);
  });
}

class Tally {
  readonly latencies = new Samples();
  errors = 0;
  errorSample?: string;

  /** Times one call; counts it as an error unless it is a good answer. */
  async call(agent: http.Agent, target: Target): Promise<void> {
    const start = process.hrtime.bigint();
    try {
      const reply = await post(agent, target);
      const us = Number(process.hrtime.bigint() - start) / 1000;
      if (reply.status === 200 && isGoodBody(reply.body, target.expect)) this.latencies.push(us);
      else this.fail(`HTTP ${reply.status}: ${reply.body}`);
    } catch (e) {
      this.fail((e as Error).message);
    }
  }

  fail(what: string): void {
    this.errors++;
    this.errorSample ??= what.replace(/\s+/g, " ").slice(0, 300);
  }

  result(elapsedMs: number): LoadResult {
    const ok = this.latencies.length;
    return {
      ok,
      errors: this.errors,
      errorSample: this.errorSample,
      elapsedMs,
      throughput: (ok * 1000) / elapsedMs,
      latency: summarize(this.latencies.values()),
    };
  }
}

async function sequential(job: Extract<LoadJob, { kind: "sequential" }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const tally = new Tally();
  const started = performance.now();
  const deadline = started + job.maxSeconds * 1000;
  for (let i = 0; i < job.requests && performance.now() < deadline; i++) await tally.call(agent, job.target);
  const elapsed = performance.now() - started;
  agent.destroy();
  return tally.result(elapsed);
}

async function burst(job: Extract<LoadJob, { kind: "burst" }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.count, maxFreeSockets: job.count });
  const deadline = AbortSignal.timeout(job.maxSeconds * 1000);
  const bounded = (p: Promise<unknown>) =>
    Promise.race([p, new Promise((_, reject) => deadline.addEventListener("abort", () => reject(new Error("burst timed out"))))]);
  // Open every connection first, so the burst measures calls, not TCP handshakes.
  const to = (i: number) => (job.replicas?.length ? job.replicas[i % job.replicas.length]! : job);
  const warm = new Tally();
  await bounded(Promise.all(Array.from({ length: job.count }, (_, i) => warm.call(agent, to(i).warm))));
  if (warm.errors) throw new Error(`warming the burst's connections failed: ${warm.errorSample}`);
  const tally = new Tally();
  const started = performance.now();
  await bounded(Promise.all(Array.from({ length: job.count }, (_, i) => tally.call(agent, to(i).target))));
  const elapsed = performance.now() - started;
  agent.destroy();
  return tally.result(elapsed);
}

function concurrent(job: Extract<LoadJob, { kind: "concurrent" }>): Promise<LoadResult> {
  const tally = new Tally();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.target.url,
        method: "POST",
        headers: job.target.headers,
        body: job.target.body,
        connections: job.connections,
        duration: job.seconds,
        timeout: 30,
        verifyBody: (body) => isGoodBody(String(body ?? ""), job.target.expect),
      },
      (err, result) => {
        if (err) return reject(err);
        tally.errors += result.errors + result.timeouts + result.mismatches + result.non2xx;
        const elapsedMs = result.duration * 1000;
        const counted = tally.result(elapsedMs);
        // A mismatched body was a 2xx response too (its latency is kept; the run reports errors anyway).
        const ok = counted.ok - result.mismatches;
        resolve({ ...counted, ok, throughput: (ok * 1000) / elapsedMs });
      },
    );
    // autocannon's own histogram has millisecond resolution: keep every latency instead.
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) tally.latencies.push(ms * 1000);
    });
    (instance as NodeJS.EventEmitter).on(
      "reqMismatch",
      (body: unknown) => (tally.errorSample ??= `unexpected body: ${String(body).slice(0, 300)}`),
    );
    instance.on("reqError", (e: unknown) => (tally.errorSample ??= (e as Error).message));
  });
}

async function run(job: LoadJob): Promise<LoadResult> {
  assertLoopback(job.target.url);
  if (job.kind === "sequential") return sequential(job);
  if (job.kind === "burst") {
    assertLoopback(job.warm.url);
    return burst(job);
  }
  return concurrent(job);
}

process.on("message", (message: { id: number; job: LoadJob }) => {
  run(message.job).then(
    (result) => process.send!({ id: message.id, result }),
    (e: unknown) => process.send!({ id: message.id, error: (e as Error).message }),
  );
});
process.on("disconnect", () => process.exit(0));
