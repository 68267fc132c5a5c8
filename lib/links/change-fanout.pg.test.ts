// Two app processes on one PostgreSQL: what one replica changes, the other stops serving from its
// caches as soon as the change bus delivers it, long before its 30 s safety-net TTL.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBus } from "@/lib/bus/bus";
import { CACHE_MAX_AGE_MS } from "@/lib/links/get-access-token";
import { unlinkAccount } from "@/lib/links/unlink-account";
import { linkAs, startLinkTestStack, type LinkTestStack } from "@/testkit/link-stack";

const postgresUrl = process.env.TEST_DATABASE_URL;
// Well inside the TTL: without the bus the other replica keeps its cached token for CACHE_MAX_AGE_MS.
const PATIENCE_MS = 5_000;

describe.skipIf(!postgresUrl)("[links] change fan-out between replicas (TEST_DATABASE_URL)", () => {
  let s: LinkTestStack;
  let replica: { ask(line: string): Promise<{ token?: string; error?: string }>; stop(): void };
  beforeAll(async () => {
    s = await startLinkTestStack({ postgresUrl });
    const child = spawn(process.execPath, ["--import", "tsx", "testkit/change-fanout-worker.ts"], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...s.appEnv, NODE_ENV: "test" },
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async () => {
      const line = await lines.next();
      if (line.done) throw new Error("the replica exited");
      return line.value;
    };
    expect(await next()).toBe("ready");
    replica = {
      ask: async (line) => (child.stdin!.write(`${line}\n`), JSON.parse(await next()) as { token?: string; error?: string }),
      stop: () => child.kill(),
    };
  }, 60_000);
  afterAll(async () => {
    replica?.stop();
    await closeBus();
    await s?.close();
  });

  const askUntil = async (line: string, done: (a: { token?: string; error?: string }) => boolean) => {
    const at = Date.now();
    let answer = await replica.ask(line);
    while (!done(answer) && Date.now() - at < PATIENCE_MS) {
      await new Promise((r) => setTimeout(r, 20));
      answer = await replica.ask(line);
    }
    return { answer, ms: Date.now() - at };
  };

  it("alice unlinks on one replica and the other refuses her cached token without waiting for its TTL", async () => {
    expect(PATIENCE_MS).toBeLessThan(CACHE_MAX_AGE_MS);
    expect((await linkAs(s, s.alice.id, "alice")).result.ok).toBe(true);
    const command = `token ${s.alice.id} ${s.gitlab.id}`;
    const first = await replica.ask(command);
    expect(first.token).toBeTruthy();
    expect((await replica.ask(command)).token).toBe(first.token);

    await unlinkAccount({ userId: s.alice.id, providerId: s.gitlab.id, actor: { userId: s.alice.id } });
    const { answer, ms } = await askUntil(command, (a) => a.error !== undefined);
    console.log(`[links] unlink here refused by the other replica after ${ms} ms`);
    expect(answer.token).toBeUndefined();
    expect(answer.error).toMatch(/linked/);
  }, 60_000);

  it("alice links again on one replica and the other hands out the new token, not the old one it had", async () => {
    expect((await linkAs(s, s.alice.id, "alice")).result.ok).toBe(true);
    const command = `token ${s.alice.id} ${s.gitlab.id}`;
    const old = (await replica.ask(command)).token;
    expect(old).toBeTruthy();
    expect((await linkAs(s, s.alice.id, "alice")).result.ok).toBe(true);
    const { answer } = await askUntil(command, (a) => a.token !== old);
    expect(answer.token).toBeTruthy();
    expect(answer.token).not.toBe(old);
    expect(await s.world.gitlab.isTokenActive(answer.token!)).toBe(true);
  }, 60_000);
});
