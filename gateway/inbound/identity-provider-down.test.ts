// Keycloak unreachable: tokens it signed before keep working at the gateway (the signing keys are
// cached, and so is each verified token), while what needs Keycloak itself (a token exchange) fails
// with a clear error that names neither hosts nor tokens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
beforeAll(async () => {
  stack = await startGatewayTestStack();
}, 120_000);
afterAll(() => stack?.close());

const textOf = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

describe("[gateway] the identity provider down", () => {
  it("alice's token and bob's never-seen token still work with the keys read before; a token exchange fails clearly", async () => {
    const aliceToken = await stack.tokenFor("alice");
    const bobToken = await stack.tokenFor("bob");
    const alice = await stack.connect("alice", { token: aliceToken });
    expect(textOf(await alice.callTool({ name: "utils_echo", arguments: { text: "before" } }))).toContain("before");

    await stack.world.keycloak.close();

    expect(textOf(await alice.callTool({ name: "utils_echo", arguments: { text: "during" } }))).toContain("during");
    const bob = await stack.connect("bob", { token: bobToken });
    expect(textOf(await bob.callTool({ name: "utils_echo", arguments: { text: "bob during" } }))).toContain("bob during");

    const exchanged = await bob.callTool({ name: "tickets_whoami", arguments: {} }).then(
      (r) => JSON.stringify(r),
      (e: unknown) => (e as Error).message,
    );
    expect(exchanged).toMatch(/token exchange/i);
    expect(exchanged).not.toContain(bobToken);
    expect(exchanged).not.toContain(new URL(stack.world.keycloak.issuer).host);
    await alice.close();
    await bob.close();
  }, 60_000);
});
