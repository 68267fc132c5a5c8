// `npx tsx bench/upstream-clients.ts`: the client side of the gateway's upstream call, node:http over
// a keep-alive agent (gateway/upstream/upstream-http.ts's way) against undici's Pool, measured as CPU
// time per POST in this process, with a small JSON-RPC backend in a child process. Rounds alternate
// between the two, so both share the machine's conditions; medians are printed. undici 8 loads only
// on Node ≥ 22 (it needs zlib's zstd): `$(bash scripts/node22.sh) --import tsx bench/upstream-clients.ts`.
import { fork } from "node:child_process";
import http from "node:http";
import { Pool } from "undici";
import { median } from "@/bench/stats";

const BODY = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "echo", arguments: { text: "bench" } } });
const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" };
const CONCURRENCY = 16;
const CALLS = 4_000;
const ROUNDS = 6;

if (process.argv[2] === "backend") {
  // The backend: answers every POST with an SSE event, as the SDK's Streamable HTTP servers do.
  const answer = `event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "bench" }] } })}\n\n`;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.end(answer);
    });
  });
  server.listen(0, "127.0.0.1", () => process.send!((server.address() as { port: number }).port));
} else {
  void main();
}

type Client = { name: string; post(): Promise<void>; close(): Promise<void> };

function nodeHttp(port: number): Client {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const list = ["host", `127.0.0.1:${port}`, "content-length", String(Buffer.byteLength(BODY))];
  for (const [k, v] of Object.entries(HEADERS)) list.push(k, v);
  return {
    name: "node:http keep-alive agent",
    post: () =>
      new Promise((resolve, reject) => {
        const req = http.request({ hostname: "127.0.0.1", port, path: "/mcp", method: "POST", agent, headers: list }, (res) => {
          res.on("data", () => undefined);
          res.on("end", resolve);
        });
        req.on("error", reject);
        req.end(BODY);
      }),
    close: async () => agent.destroy(),
  };
}

function undiciPool(port: number): Client {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY, pipelining: 1 });
  return {
    name: "undici Pool",
    post: async () => {
      const res = await pool.request({ path: "/mcp", method: "POST", headers: HEADERS, body: BODY });
      for await (const _ of res.body) void _;
    },
    close: () => pool.close(),
  };
}

async function round(client: Client): Promise<number> {
  let next = 0;
  const start = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CALLS) await client.post();
    }),
  );
  const used = process.cpuUsage(start);
  return (used.user + used.system) / CALLS;
}

async function main() {
  const backend = fork(new URL(import.meta.url).pathname, ["backend"], { execArgv: ["--import", "tsx"] });
  const port = await new Promise<number>((resolve) => backend.once("message", (p) => resolve(p as number)));
  const clients = [nodeHttp(port), undiciPool(port)];
  const results = clients.map(() => [] as number[]);
  for (const c of clients) await round(c); // warm-up: JIT and sockets
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) results[i]!.push(await round(clients[i]!));
  }
  for (const [i, c] of clients.entries())
    console.log(
      `${c.name}: ${median(results[i]!).toFixed(1)} µs CPU per POST (rounds: ${results[i]!.map((v) => v.toFixed(0)).join(", ")})`,
    );
  for (const c of clients) await c.close();
  backend.kill();
}
