// The database unreachable while alice's GitLab token sits in the broker's cache: past the cache's
// usual re-read age the token is still handed out (nobody can unlink without the database), for a
// bounded time; after that, and for a token never cached, the outage is an error.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, getDatabase, setDatabaseForTests, type Db } from "@/lib/db/client";
import { CACHE_MAX_AGE_MS, getAccessToken, STALE_WHILE_DATABASE_AWAY_MS } from "@/lib/links/get-access-token";
import { linkAs, startLinkTestStack, type LinkTestStack } from "@/testkit/link-stack";

let s: LinkTestStack;
let down: Db;
beforeAll(async () => {
  s = await startLinkTestStack();
  // A real driver error: nothing listens on port 1.
  down = createDb({ url: "postgresql://gatehouse:gatehouse@127.0.0.1:1/away" });
});
afterAll(async () => {
  vi.useRealTimers();
  await down?.close();
  await s?.close();
});

describe("[broker] the database away", () => {
  it("a cached token outlives its re-read age while the database cannot be reached, then no longer", async () => {
    const { result } = await linkAs(s, s.alice.id, "alice");
    expect(result.ok).toBe(true);
    const alice = { userId: s.alice.id, providerId: s.gitlab.id };
    const cached = (await getAccessToken(alice)).accessToken;

    const up = getDatabase();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      setDatabaseForTests(down);
      vi.setSystemTime(Date.now() + CACHE_MAX_AGE_MS + 1_000);
      expect((await getAccessToken(alice)).accessToken).toBe(cached);
      // bob's token was never cached: nothing to fall back on.
      await expect(getAccessToken({ userId: s.bob.id, providerId: s.gitlab.id })).rejects.toThrow();

      vi.setSystemTime(Date.now() + STALE_WHILE_DATABASE_AWAY_MS);
      await expect(getAccessToken(alice)).rejects.toThrow();
    } finally {
      setDatabaseForTests(up);
      vi.useRealTimers();
    }
    // The database back: the row is read again.
    expect((await getAccessToken(alice)).accessToken).toBe(cached);
  });
});
