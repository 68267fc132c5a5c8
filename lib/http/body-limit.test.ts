// Hostile suite: a 300 MB body, streamed chunked (generated as it goes, never held by the test), to
// the sign-in callback (a Next route) and to /api/mcp is refused at its limit while this process's
// resident memory grows by less than 50 MB: nothing past the limit is ever buffered. The handlers
// behind the limit are the worst case, ones that buffer whatever body they are given.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "@/gateway/gateway";
import { createNodeHandler } from "@/gateway/http/node-handler";
import { setEnvForTests } from "@/lib/env";
import { createAppServer } from "@/lib/http/app-server";
import { hostileUpload, peakGrowth, uploadRefused } from "@/testkit/hostile-upload";

const MB = 1024 * 1024;
const HOSTILE_BYTES = 300 * MB;
const MAX_RSS_GROWTH = 50 * MB;

/** A handler that keeps every byte of the body it is given: what the limit must protect. */
async function bufferingHandler(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  try {
    for await (const c of req) chunks.push(c as Buffer);
  } catch {
    return; // the limit cut the body off
  }
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ received: Buffer.concat(chunks).length }));
}

/** A gateway that reads the body through the Node handler's reader, as handle-request does. */
const readingGateway: Gateway = {
  async handle(req) {
    try {
      const body = await req.body();
      return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ received: body.length }) };
    } catch (e) {
      return { status: 413, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: (e as Error).message }) };
    }
  },
  upstreamSessions: 0,
  close: async () => {},
};

const send = (port: number, path: string, total: number, opts: { contentLength?: number } = {}) =>
  hostileUpload(`http://127.0.0.1:${port}${path}`, total, opts);
const rssGrowth = <T>(work: () => Promise<T>) => peakGrowth(() => process.memoryUsage().rss, work);

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
};

let app: Server;
let appPort: number;
let bare: Server;
let barePort: number;

beforeAll(async () => {
  setEnvForTests({
    NODE_ENV: "test",
    APP_URL: "http://localhost:3999",
    KEYCLOAK_ISSUER: "http://127.0.0.1:9/realms/x",
    KEYCLOAK_CLIENT_ID: "g",
    KEYCLOAK_CLIENT_SECRET: "s",
    LOG_LEVEL: "silent",
  });
  app = createAppServer({
    next: bufferingHandler,
    mcp: createNodeHandler(readingGateway),
    oauth: { matches: (path) => path.startsWith("/oauth/"), handle: bufferingHandler },
    appUrl: "http://localhost:3999",
  });
  appPort = await listen(app);
  // The gateway's Node handler alone, without the front limit: its own reader must stop too.
  const handler = createNodeHandler(readingGateway);
  const { createServer } = await import("node:http");
  bare = createServer((req, res) => void handler(req, res));
  barePort = await listen(bare);
  // Warm up both paths so the first measurement is not of code loading.
  await send(appPort, "/api/auth/callback/keycloak", 64 * 1024);
  await send(appPort, "/api/mcp", 64 * 1024);
});
afterAll(() => {
  for (const s of [app, bare]) {
    s?.closeAllConnections();
    s?.close();
  }
});

const refused = uploadRefused;

describe("a 300 MB chunked body is cut at the limit, with memory to spare", () => {
  for (const [what, path, limit] of [
    ["the sign-in callback (a Next route, 1 MB default)", "/api/auth/callback/keycloak", 1 * MB],
    ["/api/mcp (4 MB default)", "/api/mcp", 4 * MB],
  ] as const) {
    it(`${what}: refused, far less than 300 MB taken, RSS up by < 50 MB`, async () => {
      const { result, growth } = await rssGrowth(() => send(appPort, path, HOSTILE_BYTES));
      expect(refused(result), JSON.stringify(result)).toBe(true);
      if (result.status === 413) expect(result.body).toContain(String(limit));
      expect(result.sent).toBeLessThan(HOSTILE_BYTES);
      expect(growth).toBeLessThan(MAX_RSS_GROWTH);
    });
  }

  it("the gateway's own body reader stops at MCP_BODY_LIMIT_BYTES too (no front limit in the way)", async () => {
    const { result, growth } = await rssGrowth(() => send(barePort, "/api/mcp", HOSTILE_BYTES));
    expect(refused(result), JSON.stringify(result)).toBe(true);
    if (result.status === 413) expect(result.body).toContain("MCP_BODY_LIMIT_BYTES");
    expect(result.sent).toBeLessThan(HOSTILE_BYTES);
    expect(growth).toBeLessThan(MAX_RSS_GROWTH);
  });
});

describe("a declared Content-Length over the limit", () => {
  it("is answered 413 at once, naming the limit and the setting, without reading the body", async () => {
    const next = await send(appPort, "/api/admin/backends", 64 * 1024, { contentLength: HOSTILE_BYTES });
    expect(next.status).toBe(413);
    expect(JSON.parse(next.body!)).toMatchObject({
      error: {
        code: "payload_too_large",
        limitBytes: MB,
        setting: "BODY_LIMIT_BYTES",
        message: expect.stringContaining("BODY_LIMIT_BYTES"),
      },
    });
    const mcp = await send(appPort, "/api/mcp/gitlab", 64 * 1024, { contentLength: HOSTILE_BYTES });
    expect(mcp.status).toBe(413);
    expect(JSON.parse(mcp.body!).error).toMatchObject({ limitBytes: 4 * MB, setting: "MCP_BODY_LIMIT_BYTES" });
  });
});

describe("bodies within their limit pass untouched", () => {
  it("960 KB to a Next route and 3.5 MB to /api/mcp arrive whole; 1.5 MB to a Next route does not", async () => {
    expect(await send(appPort, "/api/admin/backends", 960 * 1024)).toMatchObject({
      status: 200,
      body: JSON.stringify({ received: 960 * 1024 }),
    });
    expect(await send(appPort, "/api/mcp", 3.5 * MB)).toMatchObject({ status: 200, body: JSON.stringify({ received: 3.5 * MB }) });
    expect(refused(await send(appPort, "/api/admin/backends", 1.5 * MB))).toBe(true);
  });

  it("every response carries the security headers", async () => {
    const res = await fetch(`http://127.0.0.1:${appPort}/api/mcp`, { method: "POST", body: "{}" });
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
