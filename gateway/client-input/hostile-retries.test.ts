// A 2026-07-28 client's retry that cannot be trusted, as raw HTTP POSTs: an altered or forged
// requestState, another user's, one replayed after it was used, an expired one, one carried to another
// request, inputResponses without an answer for every key, an oversized state. Each is refused with
// invalid params and nothing reaches the backend; the honest retry still completes. A client that
// never comes back: the call waits out its round, then the backend's call is cancelled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingBackend, type EverythingBackend } from "@/e2e/world/everything-mcp";
import { MAX_SEALED_STATE_CHARS } from "@/gateway/client-input/sealed-request-state";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let handshake: EverythingBackend;
let modern: EverythingBackend;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  [handshake, modern] = await Promise.all([startEverythingBackend({ era: "2025-11-25" }), startEverythingBackend({ era: "both" })]);
  stack = await startGatewayTestStack();
  await stack.addBackend({ slug: "old", displayName: "Old", url: handshake.url, auth: { mode: "none" } });
  await stack.addBackend({ slug: "new", displayName: "New", url: modern.url, auth: { mode: "none" } });
  tokens.alice = await stack.tokenFor("alice");
  tokens.bob = await stack.tokenFor("bob");
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await Promise.all([handshake?.close(), modern?.close()]);
});

const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } };
type Reply = {
  id: unknown;
  result?: Record<string, unknown> & { requestState?: string; inputRequests?: Record<string, unknown> };
  error?: { code: number; message: string };
};
let nextId = 1;

/** A raw 2026-07-28 tools/call; the reply's response to it, JSON or the last of its SSE events. */
async function call(name: string, extra: Record<string, unknown> = {}, opts: { user?: string; path?: string } = {}): Promise<Reply> {
  const id = nextId++;
  const res = await fetch(`${stack.url}${opts.path ?? "/api/mcp"}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      authorization: `Bearer ${tokens[opts.user ?? "alice"]}`,
      "mcp-protocol-version": "2026-07-28",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {}, _meta: meta, ...extra } }),
  });
  const text = await res.text();
  const messages = (res.headers.get("content-type") ?? "").includes("text/event-stream")
    ? text
        .split(/\n\n/)
        .map((e) =>
          e
            .split("\n")
            .find((l) => l.startsWith("data:"))
            ?.slice(5)
            .trim(),
        )
        .filter((d): d is string => Boolean(d))
        .map((d) => JSON.parse(d) as Reply)
    : [JSON.parse(text) as Reply];
  const reply = messages.find((m) => m.id === id);
  if (!reply) throw new Error(`no response to request ${id} in: ${text}`);
  return reply;
}

const accept = { action: "accept", content: { name: "Ada" } };
const textOf = (r: Reply) => (r.result as { content: { text: string }[] }).content[0]!.text;

async function asked(name = "old_ask_name"): Promise<{ state: string; key: string }> {
  const first = await call(name);
  expect(first.result).toMatchObject({ resultType: "input_required", requestState: expect.any(String) });
  const [key, request] = Object.entries(first.result!.inputRequests!)[0]!;
  expect(request).toMatchObject({ method: "elicitation/create", params: { message: "Your name?" } });
  return { state: first.result!.requestState!, key };
}

function expectRefused(reply: Reply, message: RegExp) {
  expect(reply.result).toBeUndefined();
  expect(reply.error).toMatchObject({ code: -32602, message: expect.stringMatching(message) });
}

describe("[gateway] a 2026-07-28 client's retry that cannot be trusted", () => {
  it("altered, forged, oversized, another user's, another request's and incomplete retries are refused; the honest one completes once", async () => {
    const { state, key } = await asked();
    const before = handshake.askOutcomes.length;
    const middle = Math.floor(state.length / 2);
    const altered = state.slice(0, middle) + (state[middle] === "A" ? "B" : "A") + state.slice(middle + 1);
    const answered = { inputResponses: { [key]: accept } };
    expectRefused(await call("old_ask_name", { ...answered, requestState: altered }), /not one Gatehouse issued to you/);
    expectRefused(await call("old_ask_name", { ...answered, requestState: "v1.k1.forged.state.here" }), /not one Gatehouse issued/);
    expectRefused(
      await call("old_ask_name", { ...answered, requestState: "x".repeat(MAX_SEALED_STATE_CHARS + 1) }),
      /longer than \d+ characters/,
    );
    expectRefused(await call("old_ask_name", { ...answered, requestState: state }, { user: "bob" }), /not one Gatehouse issued to you/);
    expectRefused(await call("old_ask_name", { ...answered, requestState: state }, { path: "/api/mcp/old" }), /not one Gatehouse issued/);
    expectRefused(await call("old_echo", { ...answered, requestState: state }), /another request/);
    expectRefused(await call("old_ask_name", { ...answered, arguments: { extra: 1 }, requestState: state }), /another request/);
    expectRefused(await call("old_ask_name", { inputResponses: {}, requestState: state }), new RegExp(`no answer for "${key}"`));
    expectRefused(await call("old_ask_name", { inputResponses: { [key]: accept } }), /without the requestState/);
    // Nothing reached the backend: its question is still open, and the honest retry answers it.
    expect(handshake.askOutcomes.length).toBe(before);
    const honest = await call("old_ask_name", { ...answered, requestState: state });
    expect(textOf(honest)).toBe("Hello, Ada.");
    expect(handshake.askOutcomes.slice(before)).toEqual(["answered:accept"]);
    expectRefused(await call("old_ask_name", { ...answered, requestState: state }), /already used/);
  });

  it("a retry for a 2026 backend with a forged state is refused before anything goes upstream", async () => {
    const { state, key } = await asked("new_ask_name");
    const calls = () => modern.modernRequests.filter((r) => r.method === "tools/call").length;
    const before = calls();
    expectRefused(await call("new_ask_name", { inputResponses: { [key]: accept }, requestState: `${state}x` }), /not one Gatehouse issued/);
    expectRefused(await call("new_ask_name", { inputResponses: { [key]: accept }, requestState: state }, { user: "bob" }), /not one/);
    expect(calls()).toBe(before);
    expect(textOf(await call("new_ask_name", { inputResponses: { [key]: accept }, requestState: state }))).toBe("Hello, Ada.");
    expect(calls()).toBe(before + 1);
  });

  it("a client that never retries: its state expires, and the backend's call is cancelled at the round's end", async () => {
    await stack.useGateway({ inputRoundMs: 1500 });
    const before = handshake.askOutcomes.length;
    const { state, key } = await asked();
    await expect.poll(() => handshake.askOutcomes.slice(before), { timeout: 10_000 }).toContain("cancelled");
    expectRefused(await call("old_ask_name", { inputResponses: { [key]: accept }, requestState: state }), /expired/);
    await stack.useGateway();
  });
});
