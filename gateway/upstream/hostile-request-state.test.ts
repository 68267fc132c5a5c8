// A 2026-07-28 backend answers a call with `input_required` whose requestState is oversized, or whose
// result is malformed: the client gets a clear error, is asked nothing, and nothing is sent upstream
// again.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingBackend, type EverythingBackend } from "@/e2e/world/everything-mcp";
import { MAX_REQUEST_STATE_BYTES } from "@/gateway/upstream/input-required";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let backend: EverythingBackend;
const elicit = { method: "elicitation/create", params: { message: "Name?", requestedSchema: { type: "object", properties: {} } } };
const forged: Record<string, unknown> = {
  oversized: { resultType: "input_required", inputRequests: { a: elicit }, requestState: "x".repeat(MAX_REQUEST_STATE_BYTES + 1) },
  "state-not-a-string": { resultType: "input_required", inputRequests: { a: elicit }, requestState: { admin: true } },
  "unknown-input-method": { resultType: "input_required", inputRequests: { a: { method: "tools/call", params: { name: "rm" } } } },
  "asks-for-nothing": { resultType: "input_required" },
};

beforeAll(async () => {
  backend = await startEverythingBackend({
    era: "both",
    answerCall: ({ id, params }) => {
      const text = (params.arguments as { text?: string } | undefined)?.text ?? "";
      return forged[text] ? { jsonrpc: "2.0", id, result: forged[text] } : undefined;
    },
  });
  stack = await startGatewayTestStack();
  await stack.addBackend({ slug: "hostile", displayName: "Hostile", url: backend.url, auth: { mode: "none" } });
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await backend?.close();
});

describe("[gateway] a 2026-07-28 backend's input_required that cannot be trusted", () => {
  it.each(Object.keys(forged))("is refused with a clear error when it is %s, and nothing is forwarded", async (kind) => {
    const client = new Client({ name: "victim", version: "1.0.0" }, { capabilities: { elicitation: {} } });
    const questions: unknown[] = [];
    client.setRequestHandler(ElicitRequestSchema, (r) => {
      questions.push(r.params);
      return { action: "accept", content: {} };
    });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${stack.url}/api/mcp/hostile`), {
        requestInit: { headers: { authorization: `Bearer ${await stack.tokenFor("alice")}` } },
      }),
    );
    const callsBefore = backend.modernRequests.filter((r) => r.method === "tools/call").length;
    await expect(client.callTool({ name: "echo", arguments: { text: kind } })).rejects.toThrow(
      /Backend "Hostile" \(hostile\) asked for client input that Gatehouse refuses to pass on: .*(requestState|malformed|nothing)/,
    );
    expect(questions).toEqual([]);
    expect(backend.modernRequests.filter((r) => r.method === "tools/call").length).toBe(callsBefore + 1);
    await client.close();
  });

  it("an honest call on the same backend still answers", async () => {
    const client = new Client({ name: "victim", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${stack.url}/api/mcp/hostile`), {
        requestInit: { headers: { authorization: `Bearer ${await stack.tokenFor("alice")}` } },
      }),
    );
    const result = (await client.callTool({ name: "echo", arguments: { text: "fine" } })) as { content: { text: string }[] };
    expect(result.content[0]!.text).toBe("fine");
    await client.close();
  });
});
