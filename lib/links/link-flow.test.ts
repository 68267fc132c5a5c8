// The link flow against the GitLab-shaped server over real HTTP, with a real (in-memory PGlite) database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";
import { completeLink } from "@/lib/links/complete-link";
import { findLinksForUser } from "@/lib/links/find-links-for-user";
import { getAccessToken } from "@/lib/links/get-access-token";
import { parseReturnTo } from "@/lib/links/return-to";
import { startLink } from "@/lib/links/start-link";
import { unlinkAccount } from "@/lib/links/unlink-account";
import { createProvider } from "@/lib/providers/create-provider";
import { authorizeAt, linkAs, startLinkTestStack, type LinkTestStack } from "@/testkit/link-stack";

let s: LinkTestStack;
beforeAll(async () => {
  s = await startLinkTestStack();
});
afterAll(() => s?.close());
// Each test starts from "nobody linked" (and an empty token cache: the rows go behind its back).
beforeEach(async () => {
  await getDb().linkedAccount.deleteMany({});
  await getDb().linkState.deleteMany({});
  emitChange({ kind: "provider", id: s.gitlab.id });
});

const linkRow = (userId: string) => getDb().linkedAccount.findUnique({ where: { userId_providerId: { userId, providerId: s.gitlab.id } } });
const states = () => getDb().linkState.count();
const failure = (r: Awaited<ReturnType<typeof completeLink>>) => (r.ok ? undefined : r.reason);

describe("[link] the happy path", () => {
  it("alice links GitLab: identity from /oauth/token/info and /api/v4/user, tokens encrypted, state used up", async () => {
    const { result, callback } = await linkAs(s, s.alice.id, "alice", { returnTo: "/links/gitlab?done=1" });
    expect(callback.searchParams.get("iss")).toBe(s.world.gitlab.url); // the stand-in sends RFC 9207 iss
    expect(result).toMatchObject({
      ok: true,
      returnTo: "/links/gitlab?done=1",
      link: { externalId: "101", externalName: "alice", status: "active" },
    });
    expect(result.ok && result.link.scopes.sort()).toEqual(["mcp", "read_user"]);
    expect(JSON.stringify(result)).not.toMatch(/accessToken|refreshToken/);

    const row = await linkRow(s.alice.id);
    const { accessToken } = await getAccessToken({ userId: s.alice.id, providerId: s.gitlab.id });
    expect(row!.accessTokenEnc).toMatch(/^v1\.t1\./);
    expect(row!.accessTokenEnc).not.toContain(accessToken);
    expect(row!.refreshTokenEnc).toMatch(/^v1\.t1\./);
    expect(await states()).toBe(0);
    // The stored token is GitLab's, for alice.
    const me = await fetch(`${s.world.gitlab.url}/api/v4/user`, { headers: { authorization: `Bearer ${accessToken}` } }).then((r) =>
      r.json(),
    );
    expect(me).toMatchObject({ id: 101, username: "alice" });

    await flushAudit();
    const audit = await getDb().auditEvent.findMany({
      where: { userId: s.alice.id, action: "link" },
      select: { outcome: true, provider: true, detail: true },
    });
    expect(audit).toContainEqual({
      outcome: "success",
      provider: "gitlab",
      detail: { externalName: "alice", scopes: ["mcp", "read_user"], relink: false },
    });
    expect(JSON.stringify(audit)).not.toContain(accessToken);
  });

  it("a link with only the mcp scope is named by GitLab user id (token info works without read_user)", async () => {
    s.world.gitlab.applications.push({
      clientId: "mcp-only",
      clientSecret: "mcp-only-secret",
      redirectUris: [`${s.appEnv.APP_URL}/api/links/gitlab-mcp/callback`],
    });
    const p = await createProvider(
      {
        kind: "gitlab",
        slug: "gitlab-mcp",
        displayName: "GitLab (mcp only)",
        baseUrl: s.world.gitlab.url,
        clientId: "mcp-only",
        clientSecret: "mcp-only-secret",
        scopes: ["mcp"],
      },
      { userId: null },
    );
    const { authorizationUrl } = await startLink({ userId: s.bob.id, providerSlug: "gitlab-mcp" });
    const back = new URL(await s.world.gitlab.authorizeAs(authorizationUrl, "bob", "bob-gitlab"));
    const result = await completeLink({ userId: s.bob.id, providerSlug: "gitlab-mcp", params: back.searchParams });
    expect(result).toMatchObject({ ok: true, link: { externalId: "102", externalName: "GitLab user #102", scopes: ["mcp"] } });
    await unlinkAccount({ userId: s.bob.id, providerId: p.id, actor: { userId: s.bob.id } });
  });
});

describe("[link] state", () => {
  it("missing state: refused, nothing stored", async () => {
    const { result } = await linkAs(s, s.alice.id, "alice", { tamper: (q) => q.delete("state") });
    expect(failure(result)).toBe("state_missing");
    expect(await linkRow(s.alice.id)).toBeNull();
  });

  it("replayed state: the second callback is refused and changes nothing", async () => {
    const { result, callback } = await linkAs(s, s.alice.id, "alice");
    expect(result.ok).toBe(true);
    const before = await linkRow(s.alice.id);
    const again = await completeLink({ userId: s.alice.id, providerSlug: "gitlab", params: callback.searchParams });
    expect(again).toMatchObject({ ok: false, reason: "state_unknown", message: expect.stringContaining("already used") });
    expect(await linkRow(s.alice.id)).toEqual(before);
  });

  it("expired state (older than 10 minutes): refused", async () => {
    const callback = await authorizeAt(s, s.alice.id, "alice");
    await getDb().linkState.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    const result = await completeLink({ userId: s.alice.id, providerSlug: "gitlab", params: callback.searchParams });
    expect(result).toMatchObject({ ok: false, reason: "state_expired", message: expect.stringContaining("10 minutes") });
    expect(await linkRow(s.alice.id)).toBeNull();
  });

  it("foreign state: bob cannot complete alice's link request, and alice still can", async () => {
    const callback = await authorizeAt(s, s.alice.id, "alice");
    const asBob = await completeLink({ userId: s.bob.id, providerSlug: "gitlab", params: callback.searchParams });
    expect(failure(asBob)).toBe("state_foreign");
    expect(await linkRow(s.bob.id)).toBeNull();
    expect(await linkRow(s.alice.id)).toBeNull();
    const asAlice = await completeLink({ userId: s.alice.id, providerSlug: "gitlab", params: callback.searchParams });
    expect(asAlice).toMatchObject({ ok: true, link: { externalName: "alice" } });
  });

  it("a state made for another provider is unknown here", async () => {
    const callback = await authorizeAt(s, s.alice.id, "alice");
    const result = await completeLink({ userId: s.alice.id, providerSlug: "no-such", params: callback.searchParams });
    expect(failure(result)).toBe("provider_unavailable");
    expect(await states()).toBe(1);
  });
});

describe("[link] code, issuer, returnTo and provider errors", () => {
  it("replayed code: a code already exchanged is refused by GitLab, nothing changes", async () => {
    const first = await linkAs(s, s.alice.id, "alice");
    expect(first.result.ok).toBe(true);
    const before = await linkRow(s.alice.id);
    const oldCode = first.callback.searchParams.get("code")!;
    const { result } = await linkAs(s, s.alice.id, "alice", { tamper: (q) => q.set("code", oldCode) });
    expect(result).toMatchObject({ ok: false, reason: "code_rejected", message: expect.stringContaining("already used") });
    expect((await linkRow(s.alice.id))!.version).toBe(before!.version);
  });

  it("an iss that is not the provider's: refused before the code is exchanged", async () => {
    const issued = s.world.gitlab.counters.tokensIssued;
    const { result } = await linkAs(s, s.alice.id, "alice", { tamper: (q) => q.set("iss", "https://evil.example") });
    expect(failure(result)).toBe("issuer_mismatch");
    expect(s.world.gitlab.counters.tokensIssued).toBe(issued);
    expect(await linkRow(s.alice.id)).toBeNull();
  });

  it("returnTo: only same-origin paths are accepted; a returnTo added to the callback is ignored", async () => {
    for (const bad of [
      "https://evil.example/x",
      "//evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "/ok\nLocation: x",
      "evil",
    ]) {
      await expect(startLink({ userId: s.alice.id, providerSlug: "gitlab", returnTo: bad })).rejects.toMatchObject({ code: "validation" });
    }
    expect(await states()).toBe(0);
    expect(parseReturnTo("/links/gitlab?done=1#x")).toBe("/links/gitlab?done=1#x");
    expect(parseReturnTo("/a/../links")).toBe("/links");
    expect(parseReturnTo(undefined)).toBeNull();
    const { result } = await linkAs(s, s.alice.id, "alice", {
      returnTo: "/activity",
      tamper: (q) => q.set("returnTo", "https://evil.example"),
    });
    expect(result).toMatchObject({ ok: true, returnTo: "/activity" });
  });

  it("alice denies at GitLab: a clear message, nothing stored", async () => {
    const { result, callback } = await linkAs(s, s.alice.id, "alice", { deny: true });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(result).toMatchObject({
      ok: false,
      reason: "provider_error",
      providerError: "access_denied",
      message: expect.stringContaining("declined"),
    });
    expect(await linkRow(s.alice.id)).toBeNull();
    await flushAudit();
    const audit = await getDb().auditEvent.findFirst({
      where: { userId: s.alice.id, action: "link", outcome: "failure" },
      orderBy: { at: "desc" },
    });
    expect(audit?.detail).toMatchObject({ reason: expect.stringContaining("declined") });
  });

  it("GitLab answers invalid_scope: a clear message, nothing stored", async () => {
    s.world.gitlab.applications.push({
      clientId: "bad-scope",
      clientSecret: "bad-scope-secret",
      redirectUris: [`${s.appEnv.APP_URL}/api/links/gitlab-bad/callback`],
    });
    await createProvider(
      {
        kind: "gitlab",
        slug: "gitlab-bad",
        displayName: "GitLab (bad)",
        baseUrl: s.world.gitlab.url,
        clientId: "bad-scope",
        clientSecret: "bad-scope-secret",
        scopes: "mcp bogus",
      },
      { userId: null },
    );
    const { authorizationUrl } = await startLink({ userId: s.alice.id, providerSlug: "gitlab-bad" });
    const back = new URL(await s.world.gitlab.authorizeAs(authorizationUrl, "alice", "alice-gitlab"));
    const result = await completeLink({ userId: s.alice.id, providerSlug: "gitlab-bad", params: back.searchParams });
    expect(result).toMatchObject({
      ok: false,
      reason: "provider_error",
      providerError: "invalid_scope",
      message: expect.stringContaining("scopes"),
    });
    expect(await getDb().linkedAccount.count()).toBe(0);
  });

  it("a GitLab account already linked to another Gatehouse user is refused, and the new grant is revoked", async () => {
    expect((await linkAs(s, s.alice.id, "alice")).result.ok).toBe(true);
    const revocations = s.world.gitlab.counters.revocations;
    const { result } = await linkAs(s, s.bob.id, "alice");
    expect(result).toMatchObject({ ok: false, reason: "account_taken", message: expect.stringContaining("another Gatehouse user") });
    expect(await linkRow(s.bob.id)).toBeNull();
    expect(s.world.gitlab.counters.revocations).toBeGreaterThan(revocations);
    // alice's own link is untouched and still works.
    const { accessToken } = await getAccessToken({ userId: s.alice.id, providerId: s.gitlab.id });
    expect(await s.world.gitlab.isTokenActive(accessToken)).toBe(true);
  });

  it("re-linking replaces the tokens and revokes the previous grant", async () => {
    await linkAs(s, s.alice.id, "alice");
    const old = await getAccessToken({ userId: s.alice.id, providerId: s.gitlab.id });
    const { result } = await linkAs(s, s.alice.id, "alice");
    expect(result.ok).toBe(true);
    const fresh = await getAccessToken({ userId: s.alice.id, providerId: s.gitlab.id });
    expect(fresh.accessToken).not.toBe(old.accessToken);
    expect(fresh.version).toBe(old.version + 1);
    expect(await s.world.gitlab.isTokenActive(old.accessToken)).toBe(false);
    expect(await s.world.gitlab.isTokenActive(fresh.accessToken)).toBe(true);
  });
});

describe("[link] vault", () => {
  it("a tampered ciphertext: the link is reported unusable with a clear message, no crash", async () => {
    await linkAs(s, s.alice.id, "alice");
    await linkAs(s, s.bob.id, "bob");
    // Bob's (valid) ciphertext copied into alice's row: bound to another row, so it must not decrypt.
    const bobs = await linkRow(s.bob.id);
    await getDb().linkedAccount.update({
      where: { userId_providerId: { userId: s.alice.id, providerId: s.gitlab.id } },
      data: { accessTokenEnc: bobs!.accessTokenEnc },
    });

    const [listed] = await findLinksForUser(s.alice.id);
    expect(listed).toMatchObject({ status: "needs_relink", statusReason: expect.stringContaining("could not be decrypted") });
    const err = await getAccessToken({ userId: s.alice.id, providerId: s.gitlab.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "link_required", message: expect.stringContaining("could not be decrypted") });
    expect(await linkRow(s.alice.id)).toMatchObject({ status: "needs_relink", accessTokenEnc: null, refreshTokenEnc: null });
    // Bob is unaffected.
    expect((await getAccessToken({ userId: s.bob.id, providerId: s.gitlab.id })).accessToken).toBeTruthy();
  });

  it("a garbled ciphertext is reported the same way", async () => {
    await linkAs(s, s.alice.id, "alice");
    await getDb().linkedAccount.updateMany({ where: { userId: s.alice.id }, data: { accessTokenEnc: "v1.t1.garbage" } });
    await expect(getAccessToken({ userId: s.alice.id, providerId: s.gitlab.id })).rejects.toMatchObject({ code: "link_required" });
  });
});

describe("[link] scoping", () => {
  it("one user can never read or unlink another's link", async () => {
    await linkAs(s, s.alice.id, "alice");
    expect(await findLinksForUser(s.bob.id)).toEqual([]);
    await expect(getAccessToken({ userId: s.bob.id, providerId: s.gitlab.id })).rejects.toMatchObject({ code: "link_required" });
    await expect(unlinkAccount({ userId: s.bob.id, providerId: s.gitlab.id, actor: { userId: s.bob.id } })).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await linkRow(s.alice.id)).toMatchObject({ status: "active" });
    expect((await findLinksForUser(s.alice.id)).map((l) => l.externalName)).toEqual(["alice"]);
  });
});
