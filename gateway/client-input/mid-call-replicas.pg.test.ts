// Two gateway replicas on one PostgreSQL behind a small proxy: the client's answer to a backend's
// mid-call elicitation lands on the replica that does not hold the call, and still reaches it; so does
// a 2026-07-28 client's retry with its input, whether the backend speaks the handshake era or 2026.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingBackend as startWorldBackend, type EverythingBackend as WorldBackend } from "@/e2e/world/everything-mcp";
import { startEverythingBackend, type EverythingBackend } from "@/testkit/conformance/everything-backend";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { startReplica, type Replica } from "@/testkit/start-replica";
import { twoRoundCall } from "@/testkit/two-round-call";

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)("[gateway] mid-call answers across replicas (TEST_DATABASE_URL)", () => {
  let stack: GatewayTestStack;
  let backend: EverythingBackend;
  let modern: WorldBackend;
  let replica: Replica;
  let proxy: Server;
  const served: { to: "here" | "other"; kind: string; body: string }[] = [];
  beforeAll(async () => {
    [backend, modern] = await Promise.all([startEverythingBackend(), startWorldBackend({ era: "both", answerCall: twoRoundCall })]);
    stack = await startGatewayTestStack({ postgresUrl });
    await stack.addBackend({ slug: "everything", displayName: "Everything", url: backend.url, auth: { mode: "none" } } as never);
    await stack.addBackend({ slug: "new", displayName: "New", url: modern.url, auth: { mode: "none" } });
    replica = await startReplica(stack.appEnv);
    // Requests go round robin, except that a client's answer (or a retry with its input) always goes to
    // the replica that did not take the last call: the worst case for a gateway that kept them per process.
    let next = 0;
    let lastCall: "here" | "other" = "here";
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        const text = body.toString("utf8");
        const retry = text.includes('"requestState"');
        const kind = retry ? "retry" : (/"method"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? (text.includes('"result"') ? "answer" : req.method!));
        let to: "here" | "other" = next++ % 2 === 0 ? "here" : "other";
        if (kind === "tools/call") lastCall = to;
        if (kind === "answer" || kind === "retry") to = lastCall === "here" ? "other" : "here";
        served.push({ to, kind, body: text });
        const target = new URL(to === "here" ? stack.url : replica.url);
        const upstream = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on("error", () => res.destroy());
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  }, 90_000);
  afterAll(async () => {
    proxy?.close();
    proxy?.closeAllConnections();
    replica?.stop();
    await stack?.close();
    await Promise.all([backend?.close(), modern?.close()]);
  });

  it("a user answers an elicitation through the other replica and the call completes", async () => {
    const client = new Client({ name: "v1", version: "1.0.0" }, { capabilities: { elicitation: {} } });
    const url = new URL(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/mcp`);
    await client.connect(
      new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${await stack.tokenFor("alice")}` } } }),
    );
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: "accept",
      content: { username: "alice", email: "a@example.com" },
    }));
    const result = await client.callTool({ name: "everything_test_elicitation", arguments: { message: "Who?" } });
    expect(result.content).toEqual([{ type: "text", text: expect.stringContaining('"username":"alice"') }]);
    const call = served.find((s) => s.kind === "tools/call")!;
    const answer = served.find((s) => s.kind === "answer")!;
    expect(answer.to).not.toBe(call.to);
    await client.close();
  }, 60_000);

  it.each([
    ["a handshake-era backend's elicitation", "everything_test_elicitation", { message: "Who?" }, /"username":"ada"/, 1],
    ["a 2026 backend's elicitation", "new_ask_name", {}, /^Hello, Ada\.$/, 1],
    ["a 2026 backend's two rounds", "new_echo", { text: "twice" }, /"second":\{"action":"accept"/, 2],
  ])(
    "a 2026-07-28 client's retry reaches the other replica, which resumes the call: %s",
    async (_what, tool, args, expected, retries) => {
      const client = new ModernClient(
        { name: "v2", version: "2.0.0" },
        { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: "2026-07-28" } } },
      );
      client.setRequestHandler("elicitation/create", () => ({
        action: "accept",
        content: { name: "Ada", username: "ada", email: "ada@example.com" },
      }));
      const url = new URL(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/mcp`);
      await client.connect(
        new ModernTransport(url, { requestInit: { headers: { authorization: `Bearer ${await stack.tokenFor("alice")}` } } }),
      );
      served.length = 0;
      const result = (await client.callTool({ name: tool, arguments: args })) as { content: { text: string }[] };
      expect(result.content[0]!.text).toMatch(expected);
      const call = served.find((s) => s.kind === "tools/call")!;
      const sent = served.filter((s) => s.kind === "retry");
      expect(sent).toHaveLength(retries);
      for (const retry of sent) expect(retry.to).not.toBe(call.to);
      // Replayed to the replica that does not hold the call: the holder has forgotten the round, and says so.
      const replayed = await fetch(`${sent[0]!.to === "here" ? stack.url : replica.url}/api/mcp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          authorization: `Bearer ${await stack.tokenFor("alice")}`,
          "mcp-protocol-version": "2026-07-28",
        },
        body: sent[0]!.body,
      });
      expect(await replayed.json()).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/already used/) } });
      await client.close();
    },
    60_000,
  );
});
