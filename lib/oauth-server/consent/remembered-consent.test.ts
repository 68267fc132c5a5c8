// Remembered consent per (user, client, endpoint): an approved client signs in again without a
// question, unless it asks for a new endpoint or scope; a denial, another user, or a revoked
// connection asks again. And "seen for the first time": nobody has a live approval of the client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findConnectedClients, revokeConnectedClient } from "@/lib/oauth-server/connected-clients";
import { isClientFirstSeen } from "@/lib/oauth-server/consent/first-seen";
import { walkConsent } from "@/testkit/consent-walk";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";
import { authorizationUrl, CookieJar, pkcePair, registerClient, type RegisteredClient } from "@/testkit/oauth-client";

let stack: GatewayTestStack;
let aliceId: string;
let bobId: string;
beforeAll(async () => {
  stack = await startGatewayTestStack();
  aliceId = await stack.userIdOf("alice");
  bobId = await stack.userIdOf("bob");
});
afterAll(() => stack?.close());

function signIn(
  client: RegisteredClient,
  userId: string,
  opts: { resource?: string; scope?: string; jar?: CookieJar; decision?: "approve" | "deny" } = {},
) {
  const { challenge } = pkcePair();
  const url = authorizationUrl(stack.url, client, {
    resource: opts.resource ?? stack.mcpUrl,
    scope: opts.scope ?? "mcp",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return walkConsent(url, { userId, jar: opts.jar, decision: opts.decision });
}

function codeOf(walk: Awaited<ReturnType<typeof signIn>>): string | null {
  if (walk.outcome.kind !== "redirect") throw new Error(`expected a redirect to the client, got a ${walk.outcome.status} page`);
  return walk.outcome.url.searchParams.get("code");
}

describe("[consent] remembered consent", () => {
  it("alice approves a client once; signing in again, in the same browser or a fresh one, asks nothing", async () => {
    const client = await registerClient(stack.url, { client_name: "Remembered client" });
    const jar = new CookieJar();
    const first = await signIn(client, aliceId, { jar });
    expect(first.asked).toHaveLength(1);
    expect(codeOf(first)).toBeTruthy();

    const sameBrowser = await signIn(client, aliceId, { jar });
    expect(sameBrowser.asked).toEqual([]);
    expect(codeOf(sameBrowser)).toBeTruthy();

    const otherBrowser = await signIn(client, aliceId);
    expect(otherBrowser.asked).toEqual([]);
    expect(codeOf(otherBrowser)).toBeTruthy();
    // One connection, not one per sign-in.
    expect((await findConnectedClients(aliceId)).filter((c) => c.clientId === client.client_id)).toHaveLength(1);
  });

  it("a client that asks for another endpoint is asked about again, and then holds both in one connection", async () => {
    const client = await registerClient(stack.url, { client_name: "Growing client" });
    await signIn(client, aliceId);
    const gitlab = `${stack.mcpUrl}/gitlab`;
    const again = await signIn(client, aliceId, { resource: gitlab });
    expect(again.asked).toHaveLength(1);
    expect(again.asked[0]).toMatchObject({ resource: gitlab, backendSlug: "gitlab", approvedBefore: [stack.mcpUrl] });
    expect(codeOf(again)).toBeTruthy();
    const [connection] = (await findConnectedClients(aliceId)).filter((c) => c.clientId === client.client_id);
    expect(connection!.resources.sort()).toEqual([stack.mcpUrl, gitlab].sort());
    // Both are remembered now.
    expect((await signIn(client, aliceId)).asked).toEqual([]);
    expect((await signIn(client, aliceId, { resource: gitlab })).asked).toEqual([]);
  });

  it("a client that asks for a wider scope is asked about again", async () => {
    const client = await registerClient(stack.url, { client_name: "Scope client" });
    await signIn(client, aliceId, { scope: "mcp" });
    const wider = await signIn(client, aliceId, { scope: "mcp openid" });
    expect(wider.asked).toHaveLength(1);
    expect(wider.asked[0]!.scopes).toEqual(["mcp", "openid"]);
    expect((await signIn(client, aliceId, { scope: "mcp openid" })).asked).toEqual([]);
  });

  it("a denial is not remembered: the next sign-in asks again, and denying gives access_denied with iss", async () => {
    const client = await registerClient(stack.url, { client_name: "Denied client" });
    const denied = await signIn(client, aliceId, { decision: "deny" });
    expect(denied.outcome.kind === "redirect" && denied.outcome.url.searchParams.get("error")).toBe("access_denied");
    expect(denied.outcome.kind === "redirect" && denied.outcome.url.searchParams.get("iss")).toBe(stack.url);
    expect(codeOf(denied)).toBeNull();
    expect((await signIn(client, aliceId)).asked).toHaveLength(1);
  });

  it("alice's approval does not answer for bob", async () => {
    const client = await registerClient(stack.url, { client_name: "Shared client" });
    await signIn(client, aliceId);
    const bob = await signIn(client, bobId);
    expect(bob.asked).toHaveLength(1);
    expect(bob.asked[0]!.approvedBefore).toEqual([]);
  });

  it("alice revokes the connection: the client's next sign-in asks again", async () => {
    const client = await registerClient(stack.url, { client_name: "Revoked client" });
    await signIn(client, aliceId);
    const [connection] = (await findConnectedClients(aliceId)).filter((c) => c.clientId === client.client_id);
    await revokeConnectedClient({ userId: aliceId, grantId: connection!.grantId });
    const after = await signIn(client, aliceId);
    expect(after.asked).toHaveLength(1);
    expect(after.asked[0]!.approvedBefore).toEqual([]);
  });
});

describe("[consent] a client seen for the first time", () => {
  it("is new until someone approves it, not new for the next person, and new again once every approval is revoked", async () => {
    const client = await registerClient(stack.url, { client_name: "First-seen client" });
    const first = await signIn(client, aliceId);
    expect(first.asked[0]!.firstSeen).toBe(true);
    expect(await isClientFirstSeen(client.client_id)).toBe(false);
    const bob = await signIn(client, bobId, { decision: "deny" });
    expect(bob.asked[0]!.firstSeen).toBe(false);

    const [connection] = (await findConnectedClients(aliceId)).filter((c) => c.clientId === client.client_id);
    await revokeConnectedClient({ userId: aliceId, grantId: connection!.grantId });
    expect(await isClientFirstSeen(client.client_id)).toBe(true);
  });

  it("a denial does not make a client known", async () => {
    const client = await registerClient(stack.url, { client_name: "Never approved" });
    await signIn(client, aliceId, { decision: "deny" });
    expect((await signIn(client, bobId, { decision: "deny" })).asked[0]!.firstSeen).toBe(true);
  });
});
