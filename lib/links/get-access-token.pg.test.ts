// Two app processes on one PostgreSQL refresh the same expired token at the same moment: the row
// lock lets exactly one of them refresh, the other waits and takes the stored result.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { emitChange } from "@/lib/events";
import { getAccessToken } from "@/lib/links/get-access-token";
import { decryptLinkToken } from "@/lib/links/link-tokens";
import { linkAs, startLinkTestStack, type LinkTestStack } from "@/testkit/link-stack";

const postgresUrl = process.env.TEST_DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Long enough for the link flow to read the identity with the token under a loaded CI machine
// (1 s was not), short enough to wait out.
const SHORT_TTL_S = 3;

function startWorker(env: Record<string, string>, args: string[]) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "testkit/refresh-race-worker.ts", ...args], {
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

describe.skipIf(!postgresUrl)("[broker] two app processes on one PostgreSQL (TEST_DATABASE_URL)", () => {
  let s: LinkTestStack;
  beforeAll(async () => {
    s = await startLinkTestStack({ postgresUrl });
  }, 60_000);
  afterAll(() => s?.close());

  it("50 concurrent calls split over two processes on an expired token: exactly 1 refresh, same token everywhere, no lost refresh token", async () => {
    s.world.gitlab.setAccessTokenTtl(SHORT_TTL_S);
    expect((await linkAs(s, s.alice.id, "alice")).result.ok).toBe(true);
    s.world.gitlab.setAccessTokenTtl(7200);
    await sleep(SHORT_TTL_S * 1000 + 100);

    const workers = [0, 1].map(() => startWorker(s.appEnv, [s.alice.id, s.gitlab.id, "25"]));
    expect(await Promise.all(workers.map((w) => w.next()))).toEqual(["ready", "ready"]);
    const before = { ...s.world.gitlab.counters };
    const answers = workers.map((w) => w.next());
    for (const w of workers) w.child.stdin!.write("go\n");
    const outputs = (await Promise.all(answers)).map((line) => JSON.parse(line) as { tokens: string[]; errors: string[] });

    const refreshes = s.world.gitlab.counters.refreshes - before.refreshes;
    console.log(`[broker] 2 processes × 25 concurrent getAccessToken on PostgreSQL: ${refreshes} refresh(es) at GitLab`);
    expect(outputs.flatMap((o) => o.errors)).toEqual([]);
    const tokens = outputs.flatMap((o) => o.tokens);
    expect(tokens).toHaveLength(50);
    expect(new Set(tokens).size).toBe(1);
    expect(refreshes).toBe(1);
    expect(s.world.gitlab.counters.refreshFailures).toBe(before.refreshFailures);
    expect(await s.world.gitlab.isTokenActive(tokens[0]!)).toBe(true);

    // The stored refresh token is the rotated one, and it works: force one more refresh from here.
    const row = (await getDb().linkedAccount.findUnique({
      where: { userId_providerId: { userId: s.alice.id, providerId: s.gitlab.id } },
    }))!;
    expect(await s.world.gitlab.isTokenActive(decryptLinkToken(row.id, "refreshTokenEnc", row.refreshTokenEnc!))).toBe(true);
    await getDb().linkedAccount.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    emitChange({ kind: "link", userId: s.alice.id, providerId: s.gitlab.id });
    const again = await getAccessToken({ userId: s.alice.id, providerId: s.gitlab.id });
    expect(again.accessToken).not.toBe(tokens[0]);
    expect(s.world.gitlab.counters.refreshes - before.refreshes).toBe(2);
    expect(s.world.gitlab.counters.refreshFailures).toBe(before.refreshFailures);
  }, 60_000);
});
