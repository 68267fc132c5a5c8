// The token broker against the GitLab-shaped server: refresh ahead of expiry, exactly one refresh
// for many concurrent callers, rotation kept, invalid_grant → needs_relink, network errors retried.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { emitChange } from "@/lib/events";
import { getAccessToken } from "@/lib/links/get-access-token";
import { decryptLinkToken } from "@/lib/links/link-tokens";
import { REFRESH_ATTEMPTS } from "@/lib/links/request-refresh";
import { storeLink } from "@/lib/links/store-link";
import { unlinkAccount } from "@/lib/links/unlink-account";
import { createProvider } from "@/lib/providers/create-provider";
import type { PublicProvider } from "@/lib/providers/public-provider";
import { linkAs, startLinkTestStack, type LinkTestStack } from "@/testkit/link-stack";

let s: LinkTestStack;
beforeAll(async () => {
  s = await startLinkTestStack();
});
afterAll(() => s?.close());
beforeEach(async () => {
  s.world.gitlab.setAccessTokenTtl(7200);
  await getDb().linkedAccount.deleteMany({});
  emitChange({ kind: "provider", id: s.gitlab.id });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Long enough for the link flow to read the identity with the token under a loaded CI machine
// (1 s was not), short enough to wait out.
const SHORT_TTL_S = 3;
const alice = () => ({ userId: s.alice.id, providerId: s.gitlab.id });
const row = () => getDb().linkedAccount.findUnique({ where: { userId_providerId: alice() } });

/** alice's link holding an access token that has already expired at GitLab. */
async function linkWithExpiredToken() {
  s.world.gitlab.setAccessTokenTtl(SHORT_TTL_S);
  const { result } = await linkAs(s, s.alice.id, "alice");
  expect(result.ok).toBe(true);
  s.world.gitlab.setAccessTokenTtl(7200);
  await sleep(SHORT_TTL_S * 1000 + 100);
  const r = (await row())!;
  const stale = decryptLinkToken(r.id, "accessTokenEnc", r.accessTokenEnc!);
  expect(await s.world.gitlab.isTokenActive(stale)).toBe(false);
  return { linkId: r.id, stale, refreshToken: decryptLinkToken(r.id, "refreshTokenEnc", r.refreshTokenEnc!), version: r.version };
}

describe("[broker] refresh", () => {
  it("50 concurrent calls on an expired token: exactly 1 refresh at GitLab, all 50 get the same valid token", async () => {
    const { stale, refreshToken, version } = await linkWithExpiredToken();
    const before = { ...s.world.gitlab.counters };
    const results = await Promise.all(Array.from({ length: 50 }, () => getAccessToken(alice())));

    const refreshes = s.world.gitlab.counters.refreshes - before.refreshes;
    console.log(`[broker] 50 concurrent getAccessToken, one process: ${refreshes} refresh(es) at GitLab`);
    expect(refreshes).toBe(1);
    expect(s.world.gitlab.counters.refreshFailures).toBe(before.refreshFailures);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    const token = results[0]!;
    expect(token.accessToken).not.toBe(stale);
    expect(token.expiresAt!.getTime() - Date.now()).toBeGreaterThan(60_000);
    expect(token.version).toBe(version + 1);
    expect(await s.world.gitlab.isTokenActive(token.accessToken)).toBe(true);

    // The rotated refresh token was stored with the new access token; the old one is dead.
    const r = (await row())!;
    const storedRefresh = decryptLinkToken(r.id, "refreshTokenEnc", r.refreshTokenEnc!);
    expect(storedRefresh).not.toBe(refreshToken);
    expect(await s.world.gitlab.isTokenActive(refreshToken)).toBe(false);
    expect(await s.world.gitlab.isTokenActive(storedRefresh)).toBe(true);
    expect(r.refreshedAt).not.toBeNull();

    await flushAudit();
    const audit = await getDb().auditEvent.findMany({
      where: { userId: s.alice.id, action: "refresh" },
      select: { outcome: true, detail: true },
    });
    expect(audit).toEqual([{ outcome: "success", detail: expect.objectContaining({ rotated: true }) }]);
    expect(JSON.stringify(audit)).not.toContain(token.accessToken);
  });

  it("a fresh token is served from the process cache, and a later call after expiry refreshes again with the rotated token", async () => {
    await linkWithExpiredToken();
    const first = await getAccessToken(alice());
    const before = s.world.gitlab.counters.refreshes;
    // Behind the cache's back: the row says "expired". A cached fresh token is still served as is.
    await getDb().linkedAccount.updateMany({ where: { userId: s.alice.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await getAccessToken(alice())).accessToken).toBe(first.accessToken);
    expect(s.world.gitlab.counters.refreshes).toBe(before);
    // Invalidation (as any writer emits) sends the next call to the database, which refreshes.
    emitChange({ kind: "link", userId: s.alice.id, providerId: s.gitlab.id });
    const second = await getAccessToken(alice());
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(s.world.gitlab.counters.refreshes).toBe(before + 1);
    expect(await s.world.gitlab.isTokenActive(second.accessToken)).toBe(true);
  });

  it("a refresh token used twice: GitLab says invalid_grant, the link becomes needs_relink, no crash", async () => {
    const { refreshToken } = await linkWithExpiredToken();
    // Someone else (a stale replica, a leaked copy) spends the stored refresh token first.
    const res = await fetch(`${s.world.gitlab.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: s.world.gitlabApp.clientId,
        client_secret: s.world.gitlabApp.clientSecret,
      }),
    });
    expect(res.status).toBe(200);
    const failures = s.world.gitlab.counters.refreshFailures;

    const err = await getAccessToken(alice()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "link_required", message: expect.stringContaining("no longer accepts the stored refresh token") });
    expect(s.world.gitlab.counters.refreshFailures).toBe(failures + 1);
    expect(await row()).toMatchObject({
      status: "needs_relink",
      statusReason: expect.stringContaining("invalid_grant"),
      accessTokenEnc: null,
      refreshTokenEnc: null,
    });
    // Asking again does not go back to GitLab.
    await expect(getAccessToken(alice())).rejects.toMatchObject({ code: "link_required" });
    expect(s.world.gitlab.counters.refreshFailures).toBe(failures + 1);
    await flushAudit();
    expect(await getDb().auditEvent.count({ where: { userId: s.alice.id, action: "relink_needed" } })).toBe(1);
  });

  it("no link: link_required naming the provider", async () => {
    await expect(getAccessToken(alice())).rejects.toMatchObject({
      code: "link_required",
      message: expect.stringContaining("No GitLab account is linked"),
    });
  });
});

describe("[broker] an unreachable provider", () => {
  let server: Server;
  let connections = 0;
  let flaky: PublicProvider;
  beforeAll(async () => {
    // Accepts TCP connections and drops them: fetch fails with a network error every time.
    server = createServer((socket: Socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    flaky = await createProvider(
      {
        kind: "oauth2",
        slug: "flaky",
        displayName: "Flaky",
        clientId: "c",
        clientSecret: "s",
        authorizationEndpoint: `${base}/authorize`,
        tokenEndpoint: `${base}/token`,
        revocationEndpoint: `${base}/revoke`,
        userinfoEndpoint: `${base}/me`,
      },
      { userId: null },
    );
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const seed = (expiresInMs: number) =>
    storeLink({
      userId: s.alice.id,
      providerId: flaky.id,
      providerSlug: "flaky",
      externalId: "x1",
      externalName: "alice",
      scopes: [],
      accessToken: "old-access",
      refreshToken: "old-refresh",
      expiresAt: new Date(Date.now() + expiresInMs),
    });

  it("an expired token: bounded retries, a clear error, the link and its tokens are kept", async () => {
    await seed(-1000);
    connections = 0;
    const started = Date.now();
    const err = await getAccessToken({ userId: s.alice.id, providerId: flaky.id }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "upstream", message: expect.stringContaining("could not be reached") });
    expect(connections).toBe(REFRESH_ATTEMPTS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700); // 250 ms + 500 ms of backoff
    const r = await getDb().linkedAccount.findUnique({ where: { userId_providerId: { userId: s.alice.id, providerId: flaky.id } } });
    expect(r).toMatchObject({ status: "active", version: 0 });
    expect(decryptLinkToken(r!.id, "refreshTokenEnc", r!.refreshTokenEnc!)).toBe("old-refresh");
    await flushAudit();
    const audit = await getDb().auditEvent.findFirst({ where: { userId: s.alice.id, action: "refresh", provider: "flaky" } });
    expect(audit).toMatchObject({ outcome: "failure", detail: { reason: expect.stringContaining("3 attempts") } });
  });

  it("a token with more than a minute left is still handed out when the refresh fails", async () => {
    await seed(90_000);
    const token = await getAccessToken({ userId: s.alice.id, providerId: flaky.id });
    expect(token.accessToken).toBe("old-access");
  });

  it("unlink with an unreachable revocation endpoint: not revoked, said so, and the link is still deleted", async () => {
    await seed(3_600_000);
    const outcome = await unlinkAccount({ userId: s.alice.id, providerId: flaky.id, actor: { userId: s.alice.id } });
    expect(outcome).toMatchObject({ revoked: false, revokeError: expect.stringContaining("Flaky did not confirm the revocation") });
    expect(await getDb().linkedAccount.count({ where: { userId: s.alice.id, providerId: flaky.id } })).toBe(0);
    await expect(getAccessToken({ userId: s.alice.id, providerId: flaky.id })).rejects.toMatchObject({ code: "link_required" });
  });
});

describe("[broker] unlink", () => {
  it("revokes the grant at GitLab, deletes the tokens, drops the cached token and records it", async () => {
    await linkAs(s, s.alice.id, "alice");
    const { accessToken } = await getAccessToken(alice());
    const r = (await row())!;
    const refreshToken = decryptLinkToken(r.id, "refreshTokenEnc", r.refreshTokenEnc!);
    const revocations = s.world.gitlab.counters.revocations;

    expect(await unlinkAccount({ ...alice(), actor: { userId: s.alice.id } })).toEqual({ revoked: true });
    expect(s.world.gitlab.counters.revocations).toBeGreaterThan(revocations);
    expect(await s.world.gitlab.isTokenActive(accessToken)).toBe(false);
    expect(await s.world.gitlab.isTokenActive(refreshToken)).toBe(false);
    expect(await row()).toBeNull();
    await expect(getAccessToken(alice())).rejects.toMatchObject({ code: "link_required" });
    await expect(unlinkAccount({ ...alice(), actor: { userId: s.alice.id } })).rejects.toMatchObject({ code: "not_found" });

    await flushAudit();
    const audit = await getDb().auditEvent.findFirst({ where: { userId: s.alice.id, action: "unlink" }, orderBy: { at: "desc" } });
    expect(audit).toMatchObject({ outcome: "success", provider: "gitlab", detail: { externalName: "alice", revocation: "queued" } });
    const revoke = await getDb().auditEvent.findFirst({ where: { userId: s.alice.id, action: "revoke" }, orderBy: { at: "desc" } });
    expect(revoke).toMatchObject({ outcome: "success", provider: "gitlab" });
    expect(await getDb().revocationOutbox.count({ where: { userId: s.alice.id, providerId: s.gitlab.id } })).toBe(0);
  });

  it("an admin unlinking alice's account is recorded as done by the admin", async () => {
    await linkAs(s, s.alice.id, "alice");
    expect(await unlinkAccount({ ...alice(), actor: { userId: s.bob.id } })).toEqual({ revoked: true });
    await flushAudit();
    const audit = await getDb().auditEvent.findFirst({ where: { userId: s.alice.id, action: "unlink" }, orderBy: { at: "desc" } });
    expect(audit?.detail).toMatchObject({ by: s.bob.id });
  });
});
