// A replica killed (SIGKILL) at each step of a refresh on PostgreSQL: the link stays usable, and the
// refresh token GitLab holds is the one stored, so the next refresh succeeds wherever it runs.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { emitChange } from "@/lib/events";
import { getAccessToken } from "@/lib/links/get-access-token";
import { decryptLinkToken } from "@/lib/links/link-tokens";
import type { RefreshStep } from "@/lib/links/refresh-steps";
import { linkAs, startLinkTestStack, type LinkTestStack } from "@/testkit/link-stack";

const postgresUrl = process.env.TEST_DATABASE_URL;
const SHORT_TTL_S = 3;
const STEPS: RefreshStep[] = ["claimed", "read", "persisted", "released"];

describe.skipIf(!postgresUrl)("[broker] a replica killed in the middle of a refresh (TEST_DATABASE_URL)", () => {
  let s: LinkTestStack;
  beforeAll(async () => {
    s = await startLinkTestStack({ postgresUrl });
  }, 120_000);
  afterAll(() => s?.close());

  const alice = () => ({ userId: s.alice.id, providerId: s.gitlab.id });
  const storedRefreshToken = async () => {
    const row = (await getDb().linkedAccount.findUnique({ where: { userId_providerId: alice() } }))!;
    return decryptLinkToken(row.id, "refreshTokenEnc", row.refreshTokenEnc!);
  };

  it.each(STEPS)(
    "killed at step %s: the next call elsewhere gets a working token and nothing is lost",
    async (step) => {
      s.world.gitlab.setAccessTokenTtl(SHORT_TTL_S);
      expect((await linkAs(s, s.alice.id, "alice")).result.ok).toBe(true);
      s.world.gitlab.setAccessTokenTtl(7200);
      await new Promise((r) => setTimeout(r, SHORT_TTL_S * 1000 + 100));

      const child = spawn(process.execPath, ["--import", "tsx", "testkit/refresh-kill-worker.ts", s.alice.id, s.gitlab.id, step], {
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...s.appEnv, NODE_ENV: "test" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, sig) => resolve(sig)));
      expect(signal).toBe("SIGKILL");

      // This process is the other replica: it had nothing cached.
      await emitChange({ kind: "link", ...alice() });
      const token = await getAccessToken(alice());
      expect(await s.world.gitlab.isTokenActive(token.accessToken)).toBe(true);
      const row = await getDb().linkedAccount.findUnique({ where: { userId_providerId: alice() } });
      expect(row?.status).toBe("active");
      expect(await s.world.gitlab.isTokenActive(await storedRefreshToken())).toBe(true);
    },
    120_000,
  );
});
