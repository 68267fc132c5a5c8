// A 2026-07-28 client (SDK v2, pinned) asked for input mid-call: a handshake-era backend's elicitation
// or sampling request on its stream, or a 2026 backend's input_required, reaches the client as an
// `input_required` result with a sealed requestState; the SDK answers through its own handlers and
// retries, and the call completes with the client's answers.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingBackend as startWorldBackend, type EverythingBackend as WorldBackend } from "@/e2e/world/everything-mcp";
import { startEverythingBackend, type EverythingBackend } from "@/testkit/conformance/everything-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { twoRoundCall } from "@/testkit/two-round-call";

let stack: GatewayTestStack;
let conformance: EverythingBackend;
let handshake: WorldBackend;
let modern: WorldBackend;
const asked: string[] = [];

beforeAll(async () => {
  [conformance, handshake, modern] = await Promise.all([
    startEverythingBackend(),
    startWorldBackend({ era: "2025-11-25" }),
    startWorldBackend({ era: "both", answerCall: twoRoundCall }),
  ]);
  stack = await startGatewayTestStack();
  await stack.addBackend({ slug: "everything", displayName: "Everything", url: conformance.url, auth: { mode: "none" } } as never);
  await stack.addBackend({ slug: "old", displayName: "Old", url: handshake.url, auth: { mode: "none" } });
  await stack.addBackend({ slug: "new", displayName: "New", url: modern.url, auth: { mode: "none" } });
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await Promise.all([conformance?.close(), handshake?.close(), modern?.close()]);
});

/** A 2026-07-28 client that answers elicitation and sampling, as a person and a model would. */
async function modernClient(path = "/api/mcp"): Promise<Client> {
  const client = new Client(
    { name: "v2", version: "2.0.0" },
    { capabilities: { elicitation: {}, sampling: {} }, versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  client.setRequestHandler("elicitation/create", (r) => {
    const message = (r.params as { message: string }).message;
    asked.push(`elicit:${message}`);
    const content: Record<string, string> =
      message === "First?" || message === "Second?" ? { name: message } : { name: "Ada", username: "ada", email: "ada@example.com" };
    return { action: "accept", content };
  });
  client.setRequestHandler("sampling/createMessage", (r) => {
    asked.push("sample");
    const first = r.params.messages[0]!.content as { text?: string };
    return { role: "assistant", model: "test-model", content: { type: "text", text: `short ${first.text}` } };
  });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${stack.url}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${await stack.tokenFor("alice")}` } },
    }),
  );
  return client;
}

const textOf = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

describe("[gateway] a 2026-07-28 client asked for input mid-call", () => {
  it.each(["old", "new"])("the %s backend asks the person's name, and the client's answer reaches it", async (slug) => {
    const client = await modernClient();
    asked.length = 0;
    expect(textOf(await client.callTool({ name: `${slug}_ask_name`, arguments: {} }))).toBe("Hello, Ada.");
    expect(asked).toEqual(["elicit:Your name?"]);
    await client.close();
  });

  it.each(["old", "new"])("the %s backend asks the client's model for a summary", async (slug) => {
    const client = await modernClient();
    asked.length = 0;
    expect(textOf(await client.callTool({ name: `${slug}_summarize`, arguments: { text: "a long text" } }))).toBe(
      "Summary: short a long text",
    );
    expect(asked).toEqual(["sample"]);
    await client.close();
  });

  it("the conformance backend's elicitation and sampling tools complete at its own endpoint", async () => {
    const client = await modernClient("/api/mcp/everything");
    asked.length = 0;
    const elicited = await client.callTool({ name: "test_elicitation", arguments: { message: "Who are you?" } });
    expect(textOf(elicited)).toContain('"username":"ada"');
    const sampled = await client.callTool({ name: "test_sampling", arguments: { prompt: "meaning?" } });
    expect(textOf(sampled)).toBe("LLM response: short meaning?");
    expect(asked).toEqual(["elicit:Who are you?", "sample"]);
    await client.close();
  });

  it("a backend that asks twice gets both answers, each round carried to the client's retry", async () => {
    const client = await modernClient();
    asked.length = 0;
    const result = await client.callTool({ name: "new_echo", arguments: { text: "twice" } });
    expect(JSON.parse(textOf(result))).toEqual({ second: { action: "accept", content: { name: "Second?" } } });
    expect(asked).toEqual(["elicit:First?", "elicit:Second?"]);
    await client.close();
  });

  it("progress notifications still reach a client that can be asked for input", async () => {
    const client = await modernClient("/api/mcp/everything");
    const progress: number[] = [];
    await client.callTool({ name: "test_tool_with_progress", arguments: {} }, { onprogress: (p) => progress.push(p.progress) });
    expect(progress).toEqual([0, 50, 100]);
    await client.close();
  });
});
