// The gateway's Mcp-Session-Id over HTTP: a session opened at one endpoint by one user works there,
// and anywhere else (another user, the per-backend endpoint) or in any other spelling it is the
// MCP-standard 404 that makes the client initialize again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
beforeAll(async () => {
  stack = await startGatewayTestStack();
});
afterAll(() => stack?.close());

function post(token: string, body: unknown, opts: { path?: string; sessionId?: string } = {}) {
  return fetch(`${stack.url}${opts.path ?? "/api/mcp"}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${token}`,
      ...(opts.sessionId ? { "mcp-session-id": opts.sessionId } : {}),
    },
    body: JSON.stringify(body),
  });
}

const init = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
};
const ping = { jsonrpc: "2.0", id: 1, method: "ping" };

async function openSession(token: string, path = "/api/mcp"): Promise<string> {
  const res = await post(token, init, { path });
  expect(res.status).toBe(200);
  return res.headers.get("mcp-session-id")!;
}

describe("[gateway] session id binding", () => {
  it("works where it was issued, for whom it was issued (the control case)", async () => {
    const alice = await stack.tokenFor("alice");
    const id = await openSession(alice);
    expect((await post(alice, ping, { sessionId: id })).status).toBe(200);
  });

  it("another user's session id is 404", async () => {
    const id = await openSession(await stack.tokenFor("alice"));
    const res = await post(await stack.tokenFor("bob"), ping, { sessionId: id });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: -32001, message: "Session not found or expired: initialize again." } });
  });

  it("a session from /api/mcp is 404 at /api/mcp/<slug>, and the other way round", async () => {
    const alice = await stack.tokenFor("alice");
    const all = await openSession(alice);
    expect((await post(alice, ping, { path: "/api/mcp/utils", sessionId: all })).status).toBe(404);
    const scoped = await openSession(alice, "/api/mcp/utils");
    expect((await post(alice, ping, { path: "/api/mcp/utils", sessionId: scoped })).status).toBe(200);
    expect((await post(alice, ping, { sessionId: scoped })).status).toBe(404);
  });

  it("a malformed or re-spelled id is 404", async () => {
    const alice = await stack.tokenFor("alice");
    const id = await openSession(alice);
    const [data, mac] = id.split(".") as [string, string];
    const standardBase64 = `${data}.${Buffer.from(mac, "base64url").toString("base64")}`;
    for (const bad of ["garbage", `${id}=`, `${id}.x`, standardBase64]) {
      expect((await post(alice, ping, { sessionId: bad })).status, bad).toBe(404);
    }
  });
});
