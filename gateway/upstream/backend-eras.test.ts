// A handshake-era client (SDK v1) through the gateway to a handshake-era backend and to one that also
// speaks 2026-07-28 (SDK v2, both eras on one URL): the gateway finds each backend's era, stores it
// for the console, and speaks each in its own era — lists, calls, resources and templates, prompts,
// and a backend's mid-call elicitation and sampling answered by the client.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingBackend, type EverythingBackend } from "@/e2e/world/everything-mcp";
import { getBackend } from "@/lib/backends/get-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let handshake: EverythingBackend;
let modern: EverythingBackend;
const ids: Record<string, string> = {};
const asked: string[] = [];

beforeAll(async () => {
  [handshake, modern] = await Promise.all([startEverythingBackend({ era: "2025-11-25" }), startEverythingBackend({ era: "both" })]);
  stack = await startGatewayTestStack();
  ids.old = await stack.addBackend({ slug: "old", displayName: "Old", url: handshake.url, auth: { mode: "none" } });
  ids.new = await stack.addBackend({ slug: "new", displayName: "New", url: modern.url, auth: { mode: "none" } });
}, 180_000);
afterAll(async () => {
  await stack?.close();
  await Promise.all([handshake?.close(), modern?.close()]);
});

/** A handshake-era client that can answer elicitation and sampling, as a person and a model would. */
async function connect(path = "/api/mcp"): Promise<Client> {
  const client = new Client({ name: "era-test", version: "1.0.0" }, { capabilities: { elicitation: {}, sampling: {} } });
  client.setRequestHandler(ElicitRequestSchema, (r) => {
    asked.push(`elicit:${r.params.message}`);
    return { action: "accept", content: { name: "Ada" } };
  });
  client.setRequestHandler(CreateMessageRequestSchema, (r) => {
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

async function eraOf(id: string) {
  for (let i = 0; i < 50; i++) {
    const { era } = await getBackend(id);
    if (era) return era;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

describe("[gateway] backends of both MCP eras, from a handshake-era client", () => {
  it("an admin sees which era each backend speaks once the gateway has reached it", async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["old_echo", "new_echo", "old_ask_name", "new_summarize"]));
    expect(await eraOf(ids.new!)).toEqual({ era: "2026-07-28", protocolVersion: "2026-07-28" });
    expect(await eraOf(ids.old!)).toEqual({ era: "2025-11-25", protocolVersion: "2025-11-25" });
    await client.close();
  });

  it("a tool of each backend answers, and the 2026 backend gets the request in its own era", async () => {
    const client = await connect();
    expect(textOf(await client.callTool({ name: "old_echo", arguments: { text: "one" } }))).toBe("one");
    expect(textOf(await client.callTool({ name: "new_echo", arguments: { text: "two" } }))).toBe("two");
    const call = modern.modernRequests.find((r) => r.method === "tools/call")!;
    expect(call.headers).toEqual({
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/call",
      "mcp-name": "echo",
      "mcp-session-id": undefined,
    });
    expect(call.meta["io.modelcontextprotocol/protocolVersion"]).toBe("2026-07-28");
    // The client's own declaration (the SDK spells an empty elicitation as form elicitation).
    expect(call.meta["io.modelcontextprotocol/clientCapabilities"]).toEqual({ elicitation: { form: {} }, sampling: {} });
    await client.close();
  });

  it.each(["old", "new"])("resources, a resource template and a prompt of the %s backend work through its own endpoint", async (slug) => {
    const client = await connect(`/api/mcp/${slug}`);
    expect((await client.listResources()).resources.map((r) => r.uri)).toContain("info://about");
    expect((await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toContain("notes://{id}");
    expect((await client.readResource({ uri: "info://about" })).contents[0]).toMatchObject({ text: "Everything backend." });
    expect((await client.readResource({ uri: "notes://beta" })).contents[0]).toMatchObject({ text: "Note beta." });
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toContain("greet");
    const prompt = await client.getPrompt({ name: "greet", arguments: { name: "Ada" } });
    expect(prompt.messages[0]!.content).toMatchObject({ text: "Greet Ada warmly." });
    await client.close();
  });

  it.each(["old", "new"])("the %s backend asks the person's name mid-call, and the client's answer reaches it", async (slug) => {
    const client = await connect();
    asked.length = 0;
    expect(textOf(await client.callTool({ name: `${slug}_ask_name` }))).toBe("Hello, Ada.");
    expect(asked).toEqual(["elicit:Your name?"]);
    await client.close();
  });

  it.each(["old", "new"])("the %s backend asks the client's model for a summary mid-call", async (slug) => {
    const client = await connect();
    asked.length = 0;
    expect(textOf(await client.callTool({ name: `${slug}_summarize`, arguments: { text: "a long text" } }))).toBe(
      "Summary: short a long text",
    );
    expect(asked).toEqual(["sample"]);
    await client.close();
  });
});
