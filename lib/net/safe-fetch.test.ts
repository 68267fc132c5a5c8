// The policy-enforcing fetch and agents against real local servers: refused URLs never reach the
// connector, a name that resolves to a refused address is refused at connect time (the server sees
// no connection), and redirects stay on their origin.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setEnvForTests } from "@/lib/env";
import { guardedAgents, type GuardOptions } from "@/lib/net/guarded-connect";
import { OutboundRefusedError, type OutboundPolicy } from "@/lib/net/outbound-policy";
import { createSafeFetch, safeFetch } from "@/lib/net/safe-fetch";
import { spyOnOutboundConnections } from "@/testkit/outbound-connections";

interface TestServer {
  url: string;
  port: number;
  connections: number;
  hits: string[];
  close(): Promise<void>;
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    s.hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.on("connection", () => s.connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const s: TestServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: 0,
    hits: [],
    close: () => new Promise((r) => server.closeAllConnections() ?? server.close(() => r())),
  };
  return s;
}

let target: TestServer;
let other: TestServer;
beforeAll(async () => {
  setEnvForTests({
    NODE_ENV: "test",
    KEYCLOAK_ISSUER: "http://127.0.0.1:9/realms/r",
    KEYCLOAK_CLIENT_ID: "c",
    KEYCLOAK_CLIENT_SECRET: "s",
    LOG_LEVEL: "silent",
  });
  other = await serve((_req, res) => res.end("other"));
  target = await serve((req, res) => {
    if (req.url === "/elsewhere")
      return void res.writeHead(302, { location: `${other.url.replace("127.0.0.1", "localhost")}/stolen` }).end();
    if (req.url === "/same-host") return void res.writeHead(302, { location: "/final" }).end();
    if (req.url === "/post-then-get") return void res.writeHead(303, { location: "/final" }).end();
    if (req.url === "/loop") return void res.writeHead(307, { location: "/loop" }).end();
    if (req.url === "/empty") return void res.writeHead(204).end();
    if (req.url === "/slow") return void setTimeout(() => res.end("late"), 5_000).unref();
    if (req.url === "/form") {
      let body = "";
      req
        .on("data", (c) => (body += c))
        .on("end", () => res.end(JSON.stringify({ type: req.headers["content-type"], length: req.headers["content-length"], body })));
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ path: req.url, method: req.method }));
  });
});
afterAll(async () => {
  await target?.close();
  await other?.close();
});
afterEach(() => vi.restoreAllMocks());

describe("safeFetch: refused before any connection", () => {
  for (const url of [
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "https://169.254.169.254/",
    "https://[::ffff:10.0.0.1]/",
    "https://0x0a.0.0.1/",
  ]) {
    it(`${url} never reaches the connector`, async () => {
      const connections = spyOnOutboundConnections();
      const refused = await safeFetch(url).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OutboundRefusedError);
      expect((refused as Error).message).toMatch(/^refused: /);
      expect(connections.count()).toBe(0);
    });
  }

  it("a loopback server is reached in development (the control case)", async () => {
    const res = await safeFetch(`${target.url}/hello`);
    expect(await res.json()).toEqual({ path: "/hello", method: "GET" });
  });
});

describe("safeFetch: names are checked by the address they resolve to", () => {
  const production: OutboundPolicy = { allowLoopback: false, allowedHosts: [] };

  it("a host name resolving to a private address is refused at connect time, and no socket is opened", async () => {
    const lookup = vi.fn(async () => [{ address: "10.0.0.7", family: 4 }]);
    const guard: GuardOptions = { policy: () => production, lookup };
    const agents = guardedAgents({ keepAlive: false }, guard);
    const refused = await createSafeFetch({ agents: () => agents, guard })("https://intranet.example/token").catch((e: unknown) => e);
    expect((refused as Error).message).toBe(
      "refused: intranet.example resolves to 10.0.0.7, a private address; allow the host with OUTBOUND_ALLOWED_HOSTS=intranet.example:443",
    );
    expect(lookup).toHaveBeenCalledWith("intranet.example");
  });

  it("a name that resolves to loopback is refused in production, and the server there sees no connection", async () => {
    const guard: GuardOptions = { policy: () => production, lookup: async () => [{ address: "127.0.0.1", family: 4 }] };
    const agents = guardedAgents({ keepAlive: false }, guard);
    const before = target.connections;
    const refused = await createSafeFetch({ agents: () => agents, guard })(`https://rebound.example:${target.port}/`).catch(
      (e: unknown) => e,
    );
    expect((refused as Error).message).toMatch(/^refused: rebound\.example resolves to 127\.0\.0\.1, a loopback address/);
    expect(target.connections).toBe(before);
  });

  it("the connection goes to the address that was checked, not to a second DNS answer", async () => {
    // A resolver that answers differently the second time (DNS rebinding): only the first answer is used.
    const answers = [[{ address: "127.0.0.1", family: 4 }], [{ address: "10.0.0.9", family: 4 }]];
    const lookup = vi.fn(async () => answers.shift() ?? []);
    const guard: GuardOptions = {
      policy: () => ({ allowLoopback: false, allowedHosts: [{ hostname: "app.internal", port: target.port, http: true }] }),
      lookup,
    };
    const agents = guardedAgents({ keepAlive: false }, guard);
    const res = await createSafeFetch({ agents: () => agents, guard })(`http://app.internal:${target.port}/pinned`);
    expect(await res.json()).toEqual({ path: "/pinned", method: "GET" });
    expect(lookup).toHaveBeenCalledTimes(1);
  });
});

describe("safeFetch: redirects", () => {
  it("a redirect to another host is not followed, and that host is never contacted", async () => {
    const before = other.hits.length;
    const refused = await safeFetch(`${target.url}/elsewhere`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OutboundRefusedError);
    expect((refused as Error).message).toBe(
      `refused: ${target.url} redirected to http://localhost:${other.port}; Gatehouse follows redirects only within the same host (configure the final URL instead)`,
    );
    expect(other.hits.length).toBe(before);
  });

  it("a redirect within the same origin is followed; 303 turns a POST into a GET; loops end", async () => {
    expect(await (await safeFetch(`${target.url}/same-host`)).json()).toEqual({ path: "/final", method: "GET" });
    expect(await (await safeFetch(`${target.url}/post-then-get`, { method: "POST", body: "a=b" })).json()).toEqual({
      path: "/final",
      method: "GET",
    });
    await expect(safeFetch(`${target.url}/loop`)).rejects.toThrow(/redirected more than 3 times/);
  });

  it("redirect: manual hands the redirect back untouched", async () => {
    const res = await safeFetch(`${target.url}/elsewhere`, { redirect: "manual" });
    expect(res.status).toBe(302);
  });
});

describe("guardedAgents (the gateway's per-call sockets)", () => {
  const get = (client: typeof http | typeof https, agent: http.Agent, url: string) =>
    new Promise<string>((resolve, reject) => {
      client
        .get(url, { agent }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c)).on("end", () => resolve(body));
        })
        .on("error", reject);
    });

  it("connects to an allowed address (the control case)", async () => {
    const agents = guardedAgents({ keepAlive: false }, { policy: () => ({ allowLoopback: true, allowedHosts: [] }) });
    expect(JSON.parse(await get(http, agents.http, `${target.url}/agent`))).toEqual({ path: "/agent", method: "GET" });
  });

  it("refuses plain http to loopback in production, and a name that resolves to loopback, without connecting", async () => {
    const before = target.connections;
    const production = guardedAgents({ keepAlive: false }, { policy: () => ({ allowLoopback: false, allowedHosts: [] }) });
    await expect(get(http, production.http, `${target.url}/agent`)).rejects.toThrow(/^refused: http:\/\/127\.0\.0\.1:\d+ uses plain http/);
    const rebound = guardedAgents(
      { keepAlive: false },
      { policy: () => ({ allowLoopback: false, allowedHosts: [] }), lookup: async () => [{ address: "127.0.0.1", family: 4 }] },
    );
    await expect(get(https, rebound.https, `https://rebound.example:${target.port}/`)).rejects.toThrow(
      /^refused: rebound\.example resolves to 127\.0\.0\.1, a loopback address/,
    );
    expect(target.connections).toBe(before);
  });
});

describe("safeFetch: what fetch's callers rely on", () => {
  it("sends form bodies with their content type and length, and reads JSON, empty and streamed answers", async () => {
    const form = await safeFetch(`${target.url}/form`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "refresh_token", x: "é" }),
    });
    expect(await form.json()).toEqual({
      type: "application/x-www-form-urlencoded;charset=UTF-8",
      length: "33",
      body: "grant_type=refresh_token&x=%C3%A9",
    });
    const empty = await safeFetch(`${target.url}/empty`);
    expect([empty.status, empty.body]).toEqual([204, null]);
  });

  it("an aborted request rejects with the signal's reason; a refused connection is fetch's TypeError with the cause", async () => {
    await expect(safeFetch(`${target.url}/slow`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ name: "TimeoutError" });
    const closed = await serve(() => undefined);
    await closed.close();
    const err = (await safeFetch(closed.url).catch((e: unknown) => e)) as TypeError & { cause: { code: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.cause.code).toBe("ECONNREFUSED");
  });
});
