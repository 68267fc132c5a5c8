// Two app processes on one PostgreSQL: a personal access token revoked here, a connected client
// revoked from the Connected clients page here, and the feature switched off here are each refused by
// the other replica's gateway, which had already accepted (and cached) the token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { findConnectedClients, revokeConnectedClient } from "@/lib/oauth-server/connected-clients";
import { createPersonalAccessToken } from "@/lib/personal-access-tokens/create-personal-access-token";
import { personalAccessTokenInputSchema } from "@/lib/personal-access-tokens/personal-access-token-schema";
import { revokePersonalAccessToken } from "@/lib/personal-access-tokens/revoke-personal-access-token";
import { setPersonalAccessTokensEnabled } from "@/lib/settings/personal-access-tokens-enabled";
import { connectTestClient } from "@/testkit/connected-client";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { startReplica, type Replica } from "@/testkit/start-replica";

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)("[tokens] revocation across replicas (TEST_DATABASE_URL)", { timeout: 60_000 }, () => {
  let stack: GatewayTestStack;
  let replica: Replica;
  let aliceId: string;
  beforeAll(async () => {
    stack = await startGatewayTestStack({ postgresUrl, env: { OAUTH_REVOCATION_POLL_MS: "250" } });
    aliceId = await stack.userIdOf("alice");
    replica = await startReplica(stack.appEnv);
  }, 240_000);
  afterAll(async () => {
    replica?.stop();
    await stack?.close();
  });

  const listAt = (origin: string, token: string) =>
    fetch(`${origin}/api/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });

  /** The replica's answer once it stops being 200 (polling; the bound is the suite's timeout, measured and printed). */
  async function statusOnceRefused(token: string, what: string): Promise<number> {
    const at = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - at < 10_000) {
      status = (await listAt(replica.url, token)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    console.log(`[tokens] ${what} refused by the other replica after ${Date.now() - at} ms (poll every 250 ms)`);
    return status;
  }

  const createToken = async (name: string) =>
    (
      await createPersonalAccessToken({
        user: { userId: aliceId, roles: [], groups: [] },
        input: personalAccessTokenInputSchema.parse({ name }),
      })
    ).token;

  it("a personal access token revoked here is refused by the other replica", async () => {
    const token = await createToken("replica-revoke");
    expect((await listAt(replica.url, token)).status).toBe(200);
    expect((await listAt(replica.url, token)).status).toBe(200);
    const [row] = (await getDb().personalAccessToken.findMany({
      where: { userId: aliceId, name: "replica-revoke" },
      select: { id: true },
    }))!;
    await revokePersonalAccessToken({ id: row!.id, userId: aliceId, actor: { userId: aliceId } });
    expect(await statusOnceRefused(token, "revoked personal access token")).toBe(401);
  });

  it("a connected client revoked here is refused by the other replica, and its refresh fails", async () => {
    const connected = await connectTestClient({ asUrl: stack.url, resource: stack.mcpUrl, userId: aliceId, name: "Replica Client" });
    expect((await listAt(replica.url, connected.accessToken)).status).toBe(200);
    const grant = (await findConnectedClients(aliceId)).find((c) => c.clientId === connected.client.client_id)!;
    await revokeConnectedClient({ userId: aliceId, grantId: grant.grantId });
    expect(await statusOnceRefused(connected.accessToken, "revoked connected client")).toBe(401);
    const refresh = await fetch(`${replica.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: connected.client.client_id,
        grant_type: "refresh_token",
        refresh_token: connected.refreshToken,
      }),
    });
    expect(refresh.status).toBe(400);
  });

  it("turning personal access tokens off here makes the other replica refuse them", async () => {
    const token = await createToken("replica-switch");
    expect((await listAt(replica.url, token)).status).toBe(200);
    const adminId = await stack.userIdOf("admin");
    await setPersonalAccessTokensEnabled(false, { userId: adminId });
    try {
      expect(await statusOnceRefused(token, "personal access token with the feature off")).toBe(401);
    } finally {
      await setPersonalAccessTokensEnabled(true, { userId: adminId });
    }
  });
});
