// Two app processes on one PostgreSQL: a grant revoked through one replica's authorization server
// is refused by the other replica's gateway, which had already verified (and cached) the token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { authorizationUrl, authorizeInBrowser, pkcePair, registerClient, tokenRequest } from "@/testkit/oauth-client";
import { startReplica, type Replica } from "@/testkit/start-replica";

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)("[oauth] revocation across replicas (TEST_DATABASE_URL)", () => {
  let stack: GatewayTestStack;
  let replica: Replica;
  beforeAll(async () => {
    stack = await startGatewayTestStack({ postgresUrl, env: { OAUTH_REVOCATION_POLL_MS: "250" } });
    replica = await startReplica(stack.appEnv);
  }, 60_000);
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

  it("the other replica refuses the token once the grant is revoked here", async () => {
    const client = await registerClient(stack.url);
    const { verifier, challenge } = pkcePair();
    const url = authorizationUrl(stack.url, client, { resource: stack.mcpUrl, code_challenge: challenge, code_challenge_method: "S256" });
    const outcome = await authorizeInBrowser(url, { userId: await stack.userIdOf("alice") });
    if (outcome.kind !== "redirect") throw new Error("no redirect to the client");
    const tokens = await tokenRequest(stack.url, client, {
      grant_type: "authorization_code",
      code: outcome.url.searchParams.get("code")!,
      code_verifier: verifier,
      redirect_uri: client.redirect_uris[0]!,
    });
    const access = tokens.body.access_token!;
    // The replica signs with and verifies against the same key (from the database), and caches the token.
    expect((await listAt(replica.url, access)).status).toBe(200);
    expect((await listAt(replica.url, access)).status).toBe(200);

    const revoked = await fetch(`${stack.url}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: client.client_id, token: tokens.body.refresh_token! }),
    });
    expect(revoked.status).toBe(200);
    const at = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - at < 10_000) {
      status = (await listAt(replica.url, access)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    console.log(`[oauth] revoked grant refused by the other replica after ${Date.now() - at} ms (poll every 250 ms)`);
    expect(status).toBe(401);
  }, 60_000);
});
