// Hostile suite: a page on another origin (another port of the same host counts: SameSite=Lax sends
// the cookie to it) makes a signed-in admin's browser change state. Every forgery is refused with the
// reason, and the database shows that nothing was written. Same-origin JSON and bearer calls work.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as disableRoute from "@/app/api/admin/backends/[id]/disable/route";
import * as backendRoute from "@/app/api/admin/backends/[id]/route";
import * as backendsRoute from "@/app/api/admin/backends/route";
import * as linkStartRoute from "@/app/api/links/[slug]/start/route";
import { seedProviders } from "@/e2e/seed-providers";
import { getDb } from "@/lib/db";
import { proxy } from "@/proxy";
import { startTestEnv, type TestEnv } from "@/testkit/console-stack";
import { portalSessionCookie } from "@/testkit/portal-session";

const APP = "http://localhost:3999";
let env: TestEnv;
let adminCookie: string;
let aliceCookie: string;

beforeAll(async () => {
  env = await startTestEnv();
  await seedProviders(env.world);
  [adminCookie, aliceCookie] = await Promise.all([portalSessionCookie(env.world, "admin"), portalSessionCookie(env.world, "alice")]);
});
afterAll(() => env?.close());

const backendBody = (slug: string) => ({ slug, displayName: slug, url: `https://${slug}.example.com/mcp`, auth: { mode: "none" } });
const noParams = { params: Promise.resolve({}) };
const backendCount = () => getDb().backend.count();

async function post(headers: Record<string, string>, body: string) {
  const res = await backendsRoute.POST(new Request(`${APP}/api/admin/backends`, { method: "POST", headers, body }), noParams);
  return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
}

describe("forged cross-site state changes with a valid admin session cookie", () => {
  const forgeries: [string, Record<string, string>, string, string][] = [
    [
      "an HTML form (application/x-www-form-urlencoded) from another site",
      { origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "application/x-www-form-urlencoded" },
      new URLSearchParams({ [JSON.stringify(backendBody("form-forged")).slice(0, -1) + ',"x":"']: '"}' }).toString(),
      "Origin https://evil.example is not this app's origin (http://localhost:3999)",
    ],
    [
      "a text/plain fetch from another port of the same host (same site, so Lax cookies go along)",
      { origin: "http://localhost:4000", "sec-fetch-site": "same-site", "content-type": "text/plain;charset=UTF-8" },
      JSON.stringify(backendBody("text-forged")),
      "Origin http://localhost:4000 is not this app's origin",
    ],
    [
      "a fetch with no Origin, marked cross-site by the browser",
      { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      JSON.stringify(backendBody("no-origin-forged")),
      "Sec-Fetch-Site is cross-site, not same-origin",
    ],
    [
      "a request with neither Origin nor Sec-Fetch-Site",
      { "content-type": "application/json" },
      JSON.stringify(backendBody("bare-forged")),
      "neither an Origin header nor Sec-Fetch-Site: same-origin",
    ],
    [
      "Origin: null (a sandboxed frame or a data: page)",
      { origin: "null", "content-type": "application/json" },
      JSON.stringify(backendBody("null-forged")),
      "Origin null is not this app's origin",
    ],
  ];

  for (const [what, headers, body, reason] of forgeries) {
    it(`refuses ${what}: 403 naming the reason, no backend written`, async () => {
      const before = await backendCount();
      const res = await post({ ...headers, cookie: adminCookie }, body);
      expect(res.status).toBe(403);
      expect(res.json.error?.message).toContain("cross-site request refused: ");
      expect(res.json.error?.message).toContain(reason);
      expect(await backendCount()).toBe(before);
    });
  }

  it("refuses a same-origin body that is not declared JSON with 415 naming application/json", async () => {
    const before = await backendCount();
    const res = await post(
      { origin: APP, "content-type": "text/plain", cookie: adminCookie },
      JSON.stringify(backendBody("plain-same-origin")),
    );
    expect(res.status).toBe(415);
    expect(res.json.error).toMatchObject({
      code: "unsupported_media_type",
      message: expect.stringContaining("Content-Type: application/json"),
    });
    expect(await backendCount()).toBe(before);
  });

  it("refuses cross-site DELETE and body-less POST (disable) of an existing backend; the row is untouched", async () => {
    const created = await post(
      { origin: APP, "content-type": "application/json", cookie: adminCookie },
      JSON.stringify(backendBody("victim")),
    );
    expect(created.status).toBe(201);
    const id = (created.json as unknown as { id: string }).id;
    const ctx = { params: Promise.resolve({ id }) };
    const evil = { origin: "https://evil.example", cookie: adminCookie };
    expect(
      (await backendRoute.DELETE(new Request(`${APP}/api/admin/backends/${id}`, { method: "DELETE", headers: evil }), ctx)).status,
    ).toBe(403);
    expect(
      (await disableRoute.POST(new Request(`${APP}/api/admin/backends/${id}/disable`, { method: "POST", headers: evil }), ctx)).status,
    ).toBe(403);
    expect(await getDb().backend.findUnique({ where: { id }, select: { enabled: true } })).toEqual({ enabled: true });
  });

  it("lets the same page work: same-origin JSON by Origin, or by Sec-Fetch-Site when Origin is absent", async () => {
    const byOrigin = await post(
      { origin: APP, "sec-fetch-site": "same-origin", "content-type": "application/json", cookie: adminCookie },
      JSON.stringify(backendBody("same-origin")),
    );
    expect(byOrigin.status).toBe(201);
    const bySite = await post(
      { "sec-fetch-site": "same-origin", "content-type": "application/json; charset=utf-8", cookie: adminCookie },
      JSON.stringify(backendBody("same-origin-2")),
    );
    expect(bySite.status).toBe(201);
    const reads = await backendsRoute.GET(
      new Request(`${APP}/api/admin/backends`, { headers: { cookie: adminCookie, "sec-fetch-site": "cross-site" } }),
      noParams,
    );
    expect(reads.status).toBe(200);
  });

  it("leaves bearer-authenticated REST calls alone: no Origin needed, a foreign Origin does not matter", async () => {
    const token = await env.tokenFor("admin");
    expect(
      (await post({ authorization: `Bearer ${token}`, "content-type": "application/json" }, JSON.stringify(backendBody("bearer-1"))))
        .status,
    ).toBe(201);
    expect(
      (
        await post(
          { authorization: `Bearer ${token}`, origin: "https://tool.example", "content-type": "application/json" },
          JSON.stringify(backendBody("bearer-2")),
        )
      ).status,
    ).toBe(201);
  });
});

describe("the link start route: a state-changing GET behind the same guard", () => {
  const linkStates = () => getDb().linkState.count();
  const start = (headers: Record<string, string>) =>
    linkStartRoute.GET(new Request(`${APP}/api/links/gitlab/start?returnTo=/links`, { headers: { cookie: aliceCookie, ...headers } }), {
      params: Promise.resolve({ slug: "gitlab" }),
    });

  it("refuses a link started by another site (an <img> or a navigation from evil.example) and opens no link attempt", async () => {
    const before = await linkStates();
    for (const site of ["cross-site", "same-site", "none"]) {
      const res = await start({ "sec-fetch-site": site });
      expect(res.status, site).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("cross-site request refused");
    }
    expect((await start({})).status).toBe(403);
    expect(await linkStates()).toBe(before);
  });

  it("sends alice to GitLab when she clicked Link on our own page", async () => {
    const res = await start({ "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(new RegExp(`^${env.world.gitlab.url}/oauth/authorize`));
  });
});

describe("server actions (POSTs to pages) pass the guard in proxy.ts", () => {
  const action = (headers: Record<string, string>) =>
    proxy(
      new NextRequest(`${APP}/links`, {
        method: "POST",
        headers: { "next-action": "0123abcd", "content-type": "text/plain;charset=UTF-8", cookie: aliceCookie, ...headers },
        body: "[]",
      }),
    );

  it("answers 403 to a cross-site action call (Next's own check lets one without Origin through)", async () => {
    const forgeries: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "http://localhost:4000" },
      { "sec-fetch-site": "cross-site" },
      {},
    ];
    for (const headers of forgeries) {
      const res = action(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("cross-site request refused");
    }
  });

  it("passes our own pages' action calls and every GET on to Next", async () => {
    expect(action({ origin: APP }).headers.get("x-middleware-next")).toBe("1");
    const page = proxy(new NextRequest(`${APP}/links`, { headers: { "sec-fetch-site": "cross-site" } }));
    expect(page.headers.get("x-middleware-next")).toBe("1");
  });
});
