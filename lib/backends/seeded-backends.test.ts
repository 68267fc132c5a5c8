// The demo/e2e seed (e2e/seed-backends.ts): four backends, one per outgoing auth mode the test world
// serves, each reachable with its credential; re-seeding changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBackends } from "@/e2e/seed-backends";
import { seedProviders } from "@/e2e/seed-providers";
import { testBackendConnection } from "@/gateway/console/test-connection";
import { findBackends } from "@/lib/backends/find-backends";
import { getDb } from "@/lib/db";
import { completeLink, startLink } from "@/lib/links";
import { startTestEnv, type TestEnv } from "@/testkit/console-stack";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());

describe("seeded backends", () => {
  it("seeds gitlab, tickets, search and utils idempotently, each answering Test connection", async () => {
    const providers = await seedProviders(env.world);
    const first = await seedBackends(env.world, providers);
    const again = await seedBackends(env.world, providers);
    expect(again).toEqual(first);
    const backends = await findBackends();
    expect(backends.map((b) => [b.slug, b.auth.mode])).toEqual([
      ["gitlab", "linked_account"],
      ["search", "static_header"],
      ["tickets", "token_exchange"],
      ["utils", "none"],
    ]);

    const admin = { userId: (await getDb().user.create({ data: { issuer: "https://idp", sub: "seed-admin" }, select: { id: true } })).id };
    const accessToken = await env.tokenFor("admin");
    const results = Object.fromEntries(
      await Promise.all(
        backends.map(async (b) => [b.slug, await testBackendConnection(b.id, { admin: { ...admin, accessToken } })] as const),
      ),
    );
    expect(results.utils).toMatchObject({ ok: true, toolCount: 4 });
    expect(results.search).toMatchObject({ ok: true, toolCount: 4 });
    expect(results.tickets).toMatchObject({ ok: true, toolCount: 4 });
    expect(results.gitlab!.ok).toBeNull();
    expect(results.gitlab!.message).toMatch(
      /^Reachable: without a credential the backend answered HTTP 401, as it should\. Link GitLab in your linked accounts to test this backend/,
    );
  });

  it("tests the linked-account backend with the admin's own GitLab link", async () => {
    const { gitlab } = await seedBackends(env.world, await seedProviders(env.world));
    const admin = {
      userId: (await getDb().user.create({ data: { issuer: "https://idp", sub: "linked-admin", username: "admin" }, select: { id: true } }))
        .id,
    };
    const { authorizationUrl } = await startLink({ userId: admin.userId, providerSlug: "gitlab" });
    const gitlabAdmin = env.world.gitlab.users.find((u) => u.username === "admin")!;
    const callback = new URL(await env.world.gitlab.authorizeAs(authorizationUrl, "admin", gitlabAdmin.password));
    expect((await completeLink({ userId: admin.userId, providerSlug: "gitlab", params: callback.searchParams })).ok).toBe(true);

    const r = await testBackendConnection(gitlab.id, { admin });
    expect(r).toMatchObject({ ok: true, authenticated: true });
    expect(r.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["get_current_user", "create_issue", "get_issue"]));
  });
});
