// Two Authorization headers at /api/mcp: Node's parser would keep the first and drop the other, so
// the gateway counts the raw headers and answers 400 before any token is looked at.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
beforeAll(async () => {
  stack = await startGatewayTestStack();
});
afterAll(() => stack?.close());

const call = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "utils_whoami", arguments: {} } });
const backendCalls = () =>
  Object.values(stack.world.backends).reduce((n, b) => n + b.calls.length, 0) + stack.world.gitlab.counters.mcpCalls;

/** A POST whose headers go on the wire exactly as listed (duplicates included; the list form sends no Host of its own). */
function rawPost(headers: string[]): Promise<{ status: number; body: string; challenge?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${stack.url}/api/mcp`,
      {
        method: "POST",
        headers: [
          "host",
          new URL(stack.url).host,
          "content-type",
          "application/json",
          "accept",
          "application/json, text/event-stream",
          ...headers,
        ],
      },
      (res) => {
        let body = "";
        res
          .on("data", (c) => (body += c))
          .on("end", () => resolve({ status: res.statusCode!, body, challenge: res.headers["www-authenticate"] }));
      },
    );
    req.on("error", reject);
    req.end(call);
  });
}

describe("[gateway] two Authorization headers", () => {
  it("one valid token is served (the control case)", async () => {
    const token = await stack.tokenFor("alice");
    expect((await rawPost(["authorization", `Bearer ${token}`])).status).toBe(200);
  });

  it("two headers, even two valid tokens of different users, are refused 400 and reach no backend", async () => {
    const [alice, bob] = [await stack.tokenFor("alice"), await stack.tokenFor("bob")];
    const before = backendCalls();
    for (const headers of [
      ["authorization", `Bearer ${alice}`, "authorization", `Bearer ${bob}`],
      ["authorization", `Bearer ${alice}`, "Authorization", "Bearer garbage"],
      ["authorization", `Bearer ${alice}, Bearer ${bob}`],
    ]) {
      const res = await rawPost(headers);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({
        error: "invalid_request",
        error_description: "Send exactly one Authorization header with one credential; this request carried more than one.",
      });
      expect(res.challenge).toContain('error="invalid_request"');
    }
    expect(backendCalls()).toBe(before);
  });
});
