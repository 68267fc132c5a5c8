// The Node handler's replies leave in as few socket writes as possible (each write is a syscall on
// the per-call path): a whole body in one, a relayed stream's end together with its last chunk.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { Gateway } from "@/gateway/gateway";
import { createNodeHandler } from "@/gateway/http/node-handler";
import type { GatewayReply, GatewayRequest } from "@/gateway/types";

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** Serves `reply` for every request; counts the writes on the server's sockets. */
async function serve(reply: (req: GatewayRequest) => GatewayReply | Promise<GatewayReply>) {
  const gateway: Gateway = { handle: async (req) => reply(req), upstreamSessions: 0, close: async () => {} };
  const handler = createNodeHandler(gateway);
  const stats = { writes: 0 };
  server = createServer((req, res) => void handler(req, res));
  type Write = (this: Socket, ...args: unknown[]) => unknown;
  server.on("connection", (socket: Socket & { _write: Write; _writev: Write }) => {
    const [write, writev] = [socket._write, socket._writev];
    socket._write = function (...args: unknown[]) {
      stats.writes++;
      return write.apply(this, args);
    };
    socket._writev = function (...args: unknown[]) {
      stats.writes++;
      return writev.apply(this, args);
    };
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, stats };
}

function post(port: number, onChunk?: (text: string) => void): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", path: "/api/mcp", method: "POST" }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => {
        body += c.toString();
        onChunk?.(c.toString());
      });
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end("{}");
  });
}

describe("[gateway] node handler writes", () => {
  it("a JSON body goes out with a content-length in one write", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, result: { ok: "é" } });
    const { port, stats } = await serve(() => ({ status: 200, headers: { "content-type": "application/json" }, body: Buffer.from(body) }));
    const res = await post(port);
    expect(res.body).toBe(body);
    expect(res.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    expect(stats.writes).toBe(1);
  });

  it("a relayed stream that is already complete goes out in one write, with a content-length", async () => {
    const events = ['event: message\ndata: {"a":1}\n\n', 'event: message\ndata: {"b":2}\n\n'];
    const { port, stats } = await serve(() => ({
      status: 200,
      headers: { "content-type": "text/event-stream" },
      body: Readable.from(events.map((e) => Buffer.from(e))),
    }));
    const res = await post(port);
    expect(res.body).toBe(events.join(""));
    expect(res.headers["content-length"]).toBe(String(events.join("").length));
    expect(stats.writes).toBe(1);
  });

  it("a stream still open passes its chunks on at once (progress), and ends with its last chunk", async () => {
    const source = new Readable({ read() {} });
    const { port, stats } = await serve(() => ({ status: 200, headers: { "content-type": "text/event-stream" }, body: source }));
    const seen: string[] = [];
    const done = post(port, (text) => {
      seen.push(text);
      if (seen.length === 1) {
        source.push(Buffer.from("data: last\n\n"));
        source.push(null);
      }
    });
    source.push(Buffer.from("data: progress\n\n"));
    const res = await done;
    expect(seen[0]).toBe("data: progress\n\n");
    expect(res.body).toBe("data: progress\n\ndata: last\n\n");
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    expect(stats.writes).toBe(2);
  });

  it("the client going away reaches the request's abort listener and destroys a relayed stream", async () => {
    const source = new Readable({ read() {} });
    let aborted = 0;
    const { port } = await serve((req) => {
      req.onAbort(() => aborted++);
      return { status: 200, headers: { "content-type": "text/event-stream" }, body: source };
    });
    await new Promise<void>((resolve) => {
      const req = request({ port, host: "127.0.0.1", path: "/api/mcp", method: "POST" }, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", () => undefined);
      req.end("{}");
      source.push(Buffer.from("data: progress\n\n"));
    });
    await expect.poll(() => source.destroyed).toBe(true);
    expect(aborted).toBe(1);
  });
});

describe("[gateway] node handler, a stream cut off", () => {
  it("a relayed stream destroyed before its end cuts the client off instead of leaving it waiting", async () => {
    const source = new Readable({ read() {} });
    const { port } = await serve(() => ({ status: 200, headers: { "content-type": "application/json" }, body: source }));
    const outcome = new Promise<string>((resolve) => {
      const req = request({ port, host: "127.0.0.1", path: "/api/mcp", method: "POST" }, (res) => {
        res.once("data", () => source.destroy());
        res.on("end", () => resolve("ended"));
        res.on("error", () => resolve("cut off"));
        res.on("aborted", () => resolve("cut off"));
      });
      req.on("error", () => resolve("cut off"));
      req.end("{}");
      source.push(Buffer.from('{"jsonrpc":'));
    });
    expect(await outcome).toBe("cut off");
  });
});
