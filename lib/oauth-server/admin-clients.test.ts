// Admins and MCP clients, over HTTP against a real gateway stack: the list shows a registered client
// and who connected it; disabling refuses its tokens, refreshes and new authorizations; enabling lets
// it authorize again; deleting removes it and revokes its grants; only admins may do any of it.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as disableRoute } from "@/app/api/admin/clients/[id]/disable/route";
import { POST as enableRoute } from "@/app/api/admin/clients/[id]/enable/route";
import { DELETE as deleteClientRoute } from "@/app/api/admin/clients/[id]/route";
import { GET as listClients, POST as preregisterRoute } from "@/app/api/admin/clients/route";
import { flushAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { revokeClientGrant } from "@/lib/oauth-server/admin-client-access";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import {
  authorizationUrl,
  authorizeInBrowser,
  pkcePair,
  registerClient,
  tokenRequest,
  type RegisteredClient,
} from "@/testkit/oauth-client";

let stack: GatewayTestStack;
let aliceId: string;
let adminId: string;
let adminToken: string;
let aliceToken: string;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  [aliceId, adminId] = await Promise.all([stack.userIdOf("alice"), stack.userIdOf("admin")]);
  [adminToken, aliceToken] = await Promise.all([stack.tokenFor("admin"), stack.tokenFor("alice")]);
});
afterAll(() => stack?.close());

type IdHandler = (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;
async function asCaller(handler: IdHandler, clientId: string, token: string) {
  const req = new Request(`${stack.url}/api/admin/clients/${encodeURIComponent(clientId)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  const res = await handler(req, { params: Promise.resolve({ id: clientId }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
async function listed(clientId: string) {
  const res = await listClients(new Request(`${stack.url}/api/admin/clients`, { headers: { authorization: `Bearer ${adminToken}` } }), {
    params: Promise.resolve({}),
  });
  expect(res.status).toBe(200);
  const { clients } = (await res.json()) as { clients: Array<Record<string, unknown> & { clientId: string }> };
  return clients.find((c) => c.clientId === clientId);
}

/** Alice authorizes `client` (approving): the redirect's error, or the token response. */
async function connect(client: RegisteredClient) {
  const { verifier, challenge } = pkcePair();
  const url = authorizationUrl(stack.url, client, { resource: stack.mcpUrl, code_challenge: challenge, code_challenge_method: "S256" });
  const outcome = await authorizeInBrowser(url, { userId: aliceId, approve: true });
  if (outcome.kind === "page") return { refused: `${outcome.status} ${outcome.body}` };
  const code = outcome.url.searchParams.get("code");
  if (!code) return { refused: outcome.url.searchParams.get("error") ?? "no code" };
  const res = await tokenRequest(stack.url, client, {
    grant_type: "authorization_code",
    code,
    code_verifier: verifier,
    redirect_uri: client.redirect_uris[0]!,
    resource: stack.mcpUrl,
  });
  expect(res.status).toBe(200);
  return { tokens: res.body };
}

const mcpCall = (token: string) =>
  fetch(`${stack.url}/api/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });

describe("[admin] MCP clients", () => {
  it("lists a registered client with its redirect host and connected user; disabling refuses its token, refresh and new authorizations; enabling lets it authorize again", async () => {
    const client = await registerClient(stack.url, { client_name: "Admin test client" });
    const { tokens } = await connect(client);
    expect((await mcpCall(tokens!.access_token!)).status).toBe(200);
    const gid = String(decodeJwt(tokens!.access_token!).gid);

    expect(await listed(client.client_id)).toMatchObject({
      name: "Admin test client",
      registration: "dynamic",
      redirectHosts: ["127.0.0.1:9"],
      disabled: false,
      grants: [{ grantId: gid, user: { id: aliceId, username: "alice" } }],
    });

    expect((await asCaller(disableRoute, client.client_id, aliceToken)).status).toBe(403);
    expect((await mcpCall(tokens!.access_token!)).status).toBe(200);

    const disabled = await asCaller(disableRoute, client.client_id, adminToken);
    expect(disabled).toEqual({ status: 200, body: { clientId: client.client_id, disabled: true, revokedGrants: 1 } });
    expect((await mcpCall(tokens!.access_token!)).status).toBe(401);
    const refresh = await tokenRequest(stack.url, client, { grant_type: "refresh_token", refresh_token: tokens!.refresh_token! });
    expect(refresh.status).toBe(401);
    expect(refresh.body.error).toBe("invalid_client");
    expect(refresh.body.access_token).toBeUndefined();
    expect((await connect(client)).refused).toMatch(/invalid_client|client/i);
    expect(await listed(client.client_id)).toMatchObject({ disabled: true, grants: [] });

    expect((await asCaller(enableRoute, client.client_id, adminToken)).body).toEqual({
      clientId: client.client_id,
      disabled: false,
      revokedGrants: 0,
    });
    const again = await connect(client);
    expect(again.tokens?.access_token).toBeTruthy();
    expect((await mcpCall(again.tokens!.access_token!)).status).toBe(200);

    await flushAudit();
    const actions = await getDb().auditEvent.findMany({ where: { clientId: client.client_id, userId: adminId }, select: { action: true } });
    expect(actions.map((a) => a.action).sort()).toEqual(["admin.oauth_client.disable", "admin.oauth_client.enable"]);
  });

  it("deleting a client removes it and revokes its grants; a second delete is 404", async () => {
    const client = await registerClient(stack.url, { client_name: "Doomed client" });
    const { tokens } = await connect(client);
    expect((await mcpCall(tokens!.access_token!)).status).toBe(200);

    expect((await asCaller(deleteClientRoute, client.client_id, aliceToken)).status).toBe(403);
    const deleted = await asCaller(deleteClientRoute, client.client_id, adminToken);
    expect(deleted).toEqual({ status: 200, body: { clientId: client.client_id, disabled: false, revokedGrants: 1 } });
    expect((await mcpCall(tokens!.access_token!)).status).toBe(401);
    expect(
      (await tokenRequest(stack.url, client, { grant_type: "refresh_token", refresh_token: tokens!.refresh_token! })).body.error,
    ).toMatch(/^invalid_(client|grant)$/);
    expect(await listed(client.client_id)).toBeUndefined();
    expect((await connect(client)).refused).toMatch(/client/i);

    const again = await asCaller(deleteClientRoute, client.client_id, adminToken);
    expect(again.status).toBe(404);
    expect(JSON.stringify(again.body)).toContain("GET /api/admin/clients");
    expect((await asCaller(disableRoute, "no-such-client", adminToken)).status).toBe(404);
  });

  it("an admin revokes one user's grant of a client; the client stays usable for new authorizations", async () => {
    const client = await registerClient(stack.url, { client_name: "One grant client" });
    const { tokens } = await connect(client);
    const gid = String(decodeJwt(tokens!.access_token!).gid);
    await revokeClientGrant(gid, { userId: adminId });
    expect((await mcpCall(tokens!.access_token!)).status).toBe(401);
    await expect(revokeClientGrant(gid, { userId: adminId })).rejects.toMatchObject({ code: "not_found" });
    expect(await listed(client.client_id)).toMatchObject({ disabled: false, grants: [] });
    expect((await connect(client)).tokens?.access_token).toBeTruthy();
  });
  it("an admin pre-registers a public client with a fixed id: it authorizes with PKCE and calls as alice; bad redirect URIs, a taken id and non-admins are refused", async () => {
    const preregister = async (body: unknown, token = adminToken) => {
      const req = new Request(`${stack.url}/api/admin/clients`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const res = await preregisterRoute(req, { params: Promise.resolve({}) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const input = { clientId: "corp-agent", name: "Corp agent", redirectUris: ["http://127.0.0.1:9/callback"] };

    expect((await preregister(input, aliceToken)).status).toBe(403);
    const bad = await preregister({ ...input, redirectUris: ["http://evil.example/cb"] });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("plain http is allowed only on loopback");
    expect(await listed("corp-agent")).toBeUndefined();

    const created = await preregister(input);
    expect(created).toEqual({ status: 201, body: { ...input, tokenEndpointAuthMethod: "none" } });
    expect((await preregister(input)).status).toBe(409);
    expect(await listed("corp-agent")).toBeDefined();

    const { tokens } = await connect({ client_id: "corp-agent", redirect_uris: input.redirectUris });
    expect(decodeJwt(tokens!.access_token!)).toMatchObject({ client_id: "corp-agent", aud: stack.mcpUrl, sub: aliceId });
    expect((await mcpCall(tokens!.access_token!)).status).toBe(200);
    await flushAudit();
    expect(await getDb().auditEvent.count({ where: { action: "admin.oauth_client.create", clientId: "corp-agent" } })).toBe(1);
  });
});
