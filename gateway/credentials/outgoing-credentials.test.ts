// Each backend gets its own credential, never the caller's inbound token: the GitLab-like backend
// the caller's own linked GitLab token, the exchange backend a token exchanged for its audience, the
// static-key backend its key, the open backend nothing. Real SDK clients over HTTP, the test world.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
const clients: Client[] = [];
beforeAll(async () => {
  stack = await startGatewayTestStack();
  await stack.linkGitLab("alice");
  await stack.linkGitLab("bob");
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await stack?.close();
});

async function connect(user: "alice" | "bob", token?: string) {
  const client = await stack.connect(user, { token });
  clients.push(client);
  return client;
}

function text(result: unknown): string {
  const content = (result as { content: { type: string; text: string }[] }).content;
  return content.map((c) => c.text).join("");
}

describe("[gateway] outgoing credentials", () => {
  it("lists every backend's tools under its prefix", async () => {
    const client = await connect("alice");
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "gitlab_get_current_user",
        "gitlab_create_issue",
        "tickets_whoami",
        "search_whoami",
        "utils_whoami",
        "utils_echo",
      ]),
    );
    expect(names.filter((n) => !/^(gitlab|tickets|search|utils)_/.test(n))).toEqual([]);
  });

  it("alice and bob each reach GitLab as themselves through the same endpoint", async () => {
    const [alice, bob] = [await connect("alice"), await connect("bob")];
    const [a, b] = await Promise.all([
      alice.callTool({ name: "gitlab_get_current_user" }),
      bob.callTool({ name: "gitlab_get_current_user" }),
    ]);
    expect(JSON.parse(text(a))).toMatchObject({ id: 101, username: "alice" });
    expect(JSON.parse(text(b))).toMatchObject({ id: 102, username: "bob" });
  });

  it("the exchange backend receives a token for its audience carrying the caller's sub, not the inbound token", async () => {
    const inbound = await stack.tokenFor("alice");
    const client = await connect("alice", inbound);
    const before = stack.world.backends.exchange.calls.length;
    const result = await client.callTool({ name: "tickets_whoami" });
    const claims = JSON.parse(text(result)) as { sub: string; aud: string[]; azp: string };
    expect(claims.sub).toBe(decodeJwt(inbound).sub);
    expect(claims.aud).toContain(stack.world.exchangeAudience);
    const call = stack.world.backends.exchange.calls.at(-1)!;
    expect(stack.world.backends.exchange.calls.length).toBe(before + 1);
    expect(call.identity).toBe("alice");
    expect(call.authorization).toMatch(/^Bearer /);
    expect(call.authorization).not.toContain(inbound);
  });

  it("reuses the exchanged token instead of exchanging on every call", async () => {
    const client = await connect("bob");
    await client.callTool({ name: "tickets_whoami" });
    const exchanges = stack.world.keycloak.counters.tokenExchanges;
    for (let i = 0; i < 5; i++) await client.callTool({ name: "tickets_echo", arguments: { text: `call ${i}` } });
    expect(stack.world.keycloak.counters.tokenExchanges).toBe(exchanges);
  });

  it("the static-key backend receives its key and nothing of the caller", async () => {
    const client = await connect("alice");
    const result = await client.callTool({ name: "search_whoami" });
    expect(text(result)).toBe("service-account");
    const call = stack.world.backends.static.calls.at(-1)!;
    expect(call.headers[stack.world.staticKey.headerName.toLowerCase()]).toBe(stack.world.staticKey.apiKey);
    expect(call.authorization).toBeUndefined();
  });

  it("the open backend receives no Authorization header", async () => {
    const client = await connect("bob");
    const result = await client.callTool({ name: "utils_whoami" });
    expect(JSON.parse(text(result))).toEqual({ identity: "anonymous", authorizationPresent: false });
    expect(stack.world.backends.open.calls.at(-1)!.authorization).toBeUndefined();
  });

  it("no backend ever received an inbound token", async () => {
    const inbound = [await stack.tokenFor("alice"), await stack.tokenFor("bob")];
    const client = await connect("alice", inbound[0]);
    await client.callTool({ name: "utils_echo", arguments: { text: "hi" } });
    await client.callTool({ name: "search_echo", arguments: { text: "hi" } });
    await client.callTool({ name: "tickets_echo", arguments: { text: "hi" } });
    const { exchange, static: staticKey, open } = stack.world.backends;
    const calls = [...exchange.calls, ...staticKey.calls, ...open.calls];
    expect(calls.length).toBeGreaterThan(8);
    for (const call of calls) {
      const sent = JSON.stringify(call.headers);
      for (const token of inbound) expect(sent).not.toContain(token.split(".")[2]);
      // Whatever Bearer token a backend got was not issued to the gateway's sign-in client as audience.
      if (call.authorization) expect(decodeJwt(call.authorization.slice(7)).aud).not.toContain(stack.world.gatehouseClient.clientId);
    }
  });

  it("aggregates prompts and resources too: prompt names prefixed, resource URIs prefixed with the backend", async () => {
    const client = await connect("bob");
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain("utils_greeting");
    const prompt = await client.getPrompt({ name: "utils_greeting", arguments: { name: "Bob" } });
    expect(prompt.messages[0]!.content).toMatchObject({ type: "text", text: "Hello, Bob!" });
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain("utils+info://about");
    const read = await client.readResource({ uri: "utils+info://about" });
    expect(read.contents[0]).toMatchObject({ uri: "utils+info://about", text: "open: a Gatehouse test backend." });
  });

  it("audits every call with user, client, backend, tool, outcome and latency, without arguments", async () => {
    const client = await connect("alice");
    await client.callTool({ name: "utils_echo", arguments: { text: "audit me" } });
    await flushAudit();
    const aliceId = await stack.userIdOf("alice");
    const row = await stack.db.prisma.auditEvent.findFirst({
      where: { userId: aliceId, action: "tool_call", backend: "utils", tool: "echo" },
      orderBy: { at: "desc" },
    });
    expect(row).toMatchObject({ outcome: "success", clientId: stack.world.gatehouseClient.clientId });
    expect(row!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(row!.detail ?? {})).not.toContain("audit me");
  });
});
