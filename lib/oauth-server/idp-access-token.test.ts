// A caller with a Gatehouse-issued token reaches token_exchange backends through their kept
// Keycloak sign-in: refreshed once for many concurrent callers and then reused, and, once Keycloak
// refuses it, the gateway answers 401 invalid_token so the MCP client signs in again.
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { idpAccessTokenFor, storeIdpRefreshToken } from "@/lib/oauth-server/idp-refresh-token";
import { isSignInEnded } from "@/lib/oauth-server/sign-in-ended";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { authorizeInBrowser, TestOAuthClient } from "@/testkit/oauth-client";

let stack: GatewayTestStack;
beforeAll(async () => {
  stack = await startGatewayTestStack();
});
afterAll(() => stack?.close());

const refreshes = () => stack.world.keycloak.counters.refreshGrants;

/** What the consent page keeps from the user's portal sign-in: their Keycloak refresh token (and a cold cache). */
async function keepSignIn(username: "alice" | "bob"): Promise<string> {
  const userId = await stack.userIdOf(username);
  const signIn = await stack.world.keycloak.passwordGrant({
    username,
    password: `${username}-password`,
    clientId: stack.world.gatehouseClient.clientId,
  });
  await storeIdpRefreshToken(userId, signIn.refresh_token!);
  return userId;
}

/** The MCP SDK client's OAuth sign-in through Gatehouse as `userId`; returns its Gatehouse access token. */
async function gatehouseTokenFor(userId: string): Promise<string> {
  const oauth = new TestOAuthClient();
  const url = new URL(stack.mcpUrl);
  const first = new StreamableHTTPClientTransport(url, { authProvider: oauth });
  await expect(new Client({ name: "t", version: "1" }).connect(first)).rejects.toThrow(UnauthorizedError);
  const outcome = await authorizeInBrowser(oauth.authorizationUrl!, { userId });
  if (outcome.kind !== "redirect") throw new Error(`no redirect to the client: ${outcome.status} ${outcome.body.slice(0, 300)}`);
  await first.finishAuth(outcome.url.searchParams.get("code")!);
  return oauth.saved!.access_token;
}

let nextId = 1;
function post(token: string, method: string, params: Record<string, unknown> = {}): Promise<Response> {
  return fetch(stack.mcpUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
}

const whoami = (token: string) => post(token, "tools/call", { name: "tickets_whoami", arguments: {} });

async function resultText(res: Response): Promise<string> {
  const raw = await res.text();
  const json = raw.startsWith("{")
    ? raw
    : raw
        .split("\n")
        .find((l) => l.startsWith("data: "))!
        .slice(6);
  const body = JSON.parse(json) as { result?: { content: { text: string }[]; isError?: boolean }; error?: unknown };
  if (!body.result || body.result.isError) throw new Error(`not a tool result: ${json.slice(0, 300)}`);
  return body.result.content[0]!.text;
}

describe("[oauth] a Gatehouse-token caller's kept Keycloak sign-in", () => {
  it("is refreshed once for 20 concurrent token-exchange calls on a cold cache, then reused", async () => {
    const aliceId = await keepSignIn("alice");
    const token = await gatehouseTokenFor(aliceId);
    const before = refreshes();
    const replies = await Promise.all(Array.from({ length: 20 }, () => whoami(token)));
    for (const res of replies) expect(res.status).toBe(200);
    for (const res of replies)
      expect(JSON.parse(await resultText(res))).toMatchObject({ aud: expect.arrayContaining([stack.world.exchangeAudience]) });
    expect(refreshes() - before).toBe(1);

    // The token broker's other callers (and other token_exchange backends) share the same cached token.
    await keepSignIn("alice"); // a new sign-in: the cache is cold again
    const again = refreshes();
    const subjects = await Promise.all(Array.from({ length: 20 }, () => idpAccessTokenFor(aliceId)));
    expect(new Set(subjects).size).toBe(1);
    expect(refreshes() - again).toBe(1);
    expect(await idpAccessTokenFor(aliceId)).toBe(subjects[0]);
    expect(refreshes() - again).toBe(1);
  });

  it("ends with 401 invalid_token and resource_metadata once Keycloak refuses it (user disabled), and is deleted", async () => {
    const bobId = await keepSignIn("bob");
    const token = await gatehouseTokenFor(bobId);
    const secondSignIn = await stack.world.keycloak.passwordGrant({
      username: "bob",
      password: "bob-password",
      clientId: stack.world.gatehouseClient.clientId,
    });
    stack.world.keycloak.updateUser("bob", { disabled: true });
    try {
      const call = await whoami(token);
      expect(await getDb().idpToken.findUnique({ where: { userId: bobId } })).toBeNull();
      // A list answers the same (only a new sign-in mends it), with another kept sign-in Keycloak now refuses.
      await storeIdpRefreshToken(bobId, secondSignIn.refresh_token!);
      const list = await post(token, "tools/list");
      for (const res of [call, list]) {
        expect(res.status).toBe(401);
        const challenge = res.headers.get("www-authenticate") ?? "";
        expect(challenge).toMatch(/^Bearer error="invalid_token", error_description="[^"]*sign in to Gatehouse again/i);
        expect(challenge).toContain(`resource_metadata="${stack.url}/.well-known/oauth-protected-resource`);
        expect(await res.json()).toMatchObject({ error: "invalid_token" });
      }
      expect(await getDb().idpToken.findUnique({ where: { userId: bobId } })).toBeNull();
      // None kept any more: an error naming what to do, not a 401 the client would loop on.
      await expect(idpAccessTokenFor(bobId)).rejects.toThrow(/no Keycloak sign-in for you yet/);
      await expect(idpAccessTokenFor(bobId)).rejects.not.toSatisfy(isSignInEnded);
    } finally {
      stack.world.keycloak.updateUser("bob", { disabled: false });
    }
  });

  it("leaves a caller with a Keycloak token alone: its own token is the subject, nothing is refreshed", async () => {
    const before = refreshes();
    const res = await whoami(await stack.tokenFor("alice"));
    expect(res.status).toBe(200);
    expect(JSON.parse(await resultText(res))).toMatchObject({ aud: expect.arrayContaining([stack.world.exchangeAudience]) });
    expect(refreshes()).toBe(before);
  });
});
