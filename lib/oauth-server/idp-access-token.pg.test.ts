// Two app processes on one PostgreSQL need the same user's Keycloak access token (for a caller with
// a Gatehouse token) at the same moment: the IdpToken row lock lets exactly one of them refresh at
// Keycloak; the other waits and takes the token it stored.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idpAccessTokenFor, storeIdpRefreshToken } from "@/lib/oauth-server/idp-refresh-token";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

const postgresUrl = process.env.TEST_DATABASE_URL;

function startWorker(env: Record<string, string>, args: string[]) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "testkit/idp-refresh-race-worker.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env, NODE_ENV: "test" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    });
  return { child, next };
}

describe.skipIf(!postgresUrl)("[oauth] two app processes on one PostgreSQL (TEST_DATABASE_URL) renew one kept Keycloak sign-in", () => {
  let stack: GatewayTestStack;
  beforeAll(async () => {
    stack = await startGatewayTestStack({ postgresUrl });
  }, 60_000);
  afterAll(() => stack?.close());

  it("40 concurrent requests split over two processes on a cold cache: exactly 1 refresh at Keycloak, one token everywhere", async () => {
    const aliceId = await stack.userIdOf("alice");
    const signIn = await stack.world.keycloak.passwordGrant({
      username: "alice",
      password: "alice-password",
      clientId: stack.world.gatehouseClient.clientId,
    });
    await storeIdpRefreshToken(aliceId, signIn.refresh_token!);

    const workers = [0, 1].map(() => startWorker(stack.appEnv, [aliceId, "20"]));
    expect(await Promise.all(workers.map((w) => w.next()))).toEqual(["ready", "ready"]);
    const before = stack.world.keycloak.counters.refreshGrants;
    const answers = workers.map((w) => w.next());
    for (const w of workers) w.child.stdin!.write("go\n");
    const outputs = (await Promise.all(answers)).map((line) => JSON.parse(line) as { tokens: string[]; errors: string[] });

    const refreshes = stack.world.keycloak.counters.refreshGrants - before;
    console.log(`[oauth] 2 processes × 20 concurrent idpAccessTokenFor on PostgreSQL: ${refreshes} refresh(es) at Keycloak`);
    expect(outputs.flatMap((o) => o.errors)).toEqual([]);
    const tokens = outputs.flatMap((o) => o.tokens);
    expect(tokens).toHaveLength(40);
    expect(new Set(tokens).size).toBe(1);
    expect(refreshes).toBe(1);
    // This process, its cache cold, takes the stored token too.
    expect(await idpAccessTokenFor(aliceId)).toBe(tokens[0]);
    expect(stack.world.keycloak.counters.refreshGrants - before).toBe(1);
  }, 60_000);
});
