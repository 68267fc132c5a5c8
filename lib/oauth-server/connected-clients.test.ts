// Connected clients as alice sees them: a client she signed in to Gatehouse is listed with its
// endpoint, first and last use and its calls in the last 7 days (from the audit); bob neither sees
// nor revokes it; when alice revokes it, its next call gets 401 and its refresh fails.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { findConnectedClients, revokeConnectedClient } from "@/lib/oauth-server/connected-clients";
import { connectTestClient } from "@/testkit/connected-client";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let aliceId: string;
let bobId: string;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  [aliceId, bobId] = await Promise.all([stack.userIdOf("alice"), stack.userIdOf("bob")]);
}, 240_000);
afterAll(() => stack?.close());

const listWith = (token: string) =>
  fetch(stack.mcpUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });

describe("[portal] connected clients", { timeout: 60_000 }, () => {
  it("alice sees the client she connected with its endpoint, first and last use and calls in the last 7 days", async () => {
    const connected = await connectTestClient({ asUrl: stack.url, resource: stack.mcpUrl, userId: aliceId, name: "Usage Counter" });
    const sdk = new Client({ name: "usage", version: "1" });
    await sdk.connect(
      new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${connected.accessToken}` } },
      }),
    );
    for (const text of ["one", "two", "three"]) await sdk.callTool({ name: "search_echo", arguments: { text } });
    await sdk.close();
    // A call from last month counts as first use but not among the last 7 days.
    const longAgo = new Date(Date.now() - 30 * 86_400_000);
    await getDb().auditEvent.create({
      data: {
        action: "tool_call",
        outcome: "success",
        userId: aliceId,
        clientId: connected.client.client_id,
        backend: "utils",
        at: longAgo,
      },
    });
    await flushAudit();

    const mine = (await findConnectedClients(aliceId)).find((c) => c.clientId === connected.client.client_id);
    expect(mine).toMatchObject({ clientName: "Usage Counter", resources: [stack.mcpUrl], callsLast7Days: 3 });
    expect(mine!.firstUsedAt!.getTime()).toBe(longAgo.getTime());
    expect(mine!.lastUsedAt!.getTime()).toBeGreaterThan(longAgo.getTime());
    expect((await findConnectedClients(bobId)).map((c) => c.clientId)).not.toContain(connected.client.client_id);
  });

  it("a client that made no call yet is listed with no use and zero calls", async () => {
    const connected = await connectTestClient({ asUrl: stack.url, resource: stack.mcpUrl, userId: aliceId, name: "Idle Client" });
    const mine = (await findConnectedClients(aliceId)).find((c) => c.clientId === connected.client.client_id);
    expect(mine).toMatchObject({ clientName: "Idle Client", callsLast7Days: 0, firstUsedAt: null, lastUsedAt: null });
  });

  it("alice revokes a client: its next call gets 401 and its refresh fails; bob could not revoke it", async () => {
    const connected = await connectTestClient({ asUrl: stack.url, resource: stack.mcpUrl, userId: aliceId, name: "To Revoke" });
    expect((await listWith(connected.accessToken)).status).toBe(200);
    const grant = (await findConnectedClients(aliceId)).find((c) => c.clientId === connected.client.client_id)!;
    await expect(revokeConnectedClient({ userId: bobId, grantId: grant.grantId })).rejects.toMatchObject({ code: "not_found" });
    expect((await listWith(connected.accessToken)).status).toBe(200);

    await revokeConnectedClient({ userId: aliceId, grantId: grant.grantId });
    const refused = await listWith(connected.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token".*resource_metadata=/);
    const refresh = await connected.refresh();
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe("invalid_grant");
    expect((await findConnectedClients(aliceId)).map((c) => c.grantId)).not.toContain(grant.grantId);
  });
});
