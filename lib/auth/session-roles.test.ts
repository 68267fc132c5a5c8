// A portal session re-reads roles from Keycloak every SESSION_ROLES_REFRESH_SECONDS (1 s here):
// an admin whose role is removed at the IdP loses the console once the interval has passed, and a
// user disabled at the IdP is signed out. Real route handlers, real Keycloak stand-in, real cookies.
import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as backendsRoute from "@/app/api/admin/backends/route";
import { authOptions } from "@/lib/auth/options";
import { startTestEnv, type TestEnv } from "@/testkit/console-stack";
import { portalSessionCookie } from "@/testkit/portal-session";

const APP = "http://localhost:3999";
const REFRESH_SECONDS = 1;
let env: TestEnv;

beforeAll(async () => {
  env = await startTestEnv({ env: { SESSION_ROLES_REFRESH_SECONDS: String(REFRESH_SECONDS) } });
});
afterAll(() => env?.close());

const pastTheInterval = () => new Promise((r) => setTimeout(r, REFRESH_SECONDS * 1000 + 200));

async function listBackends(cookie: string) {
  const res = await backendsRoute.GET(new Request(`${APP}/api/admin/backends`, { headers: { cookie } }), { params: Promise.resolve({}) });
  return { status: res.status, setCookies: res.headers.getSetCookie() };
}

/** The cookie the browser would hold after this response. */
const nextCookie = (cookie: string, setCookies: string[]) =>
  setCookies.find((c) => c.startsWith("next-auth.session-token="))?.split(";")[0] ?? cookie;

describe("roles re-read from Keycloak while a portal session lives", () => {
  it("an admin whose admin role is removed at the IdP loses admin after the interval", async () => {
    // A user of its own (the stand-in's users are per world): a real admin, as Keycloak says.
    env.world.keycloak.updateUser("bob", { realmRoles: ["user", "gatehouse-admin"] });
    let cookie = await portalSessionCookie(env.world, "bob");
    const first = await listBackends(cookie);
    expect(first.status).toBe(200);
    cookie = nextCookie(cookie, first.setCookies);

    env.world.keycloak.updateUser("bob", { realmRoles: ["user"] });
    await pastTheInterval();
    const after = await listBackends(cookie);
    expect(after.status).toBe(403);
    // The refreshed session went back to the browser, and stays non-admin on the next request.
    cookie = nextCookie(cookie, after.setCookies);
    expect((await listBackends(cookie)).status).toBe(403);

    // The role comes back the same way.
    env.world.keycloak.updateUser("bob", { realmRoles: ["user", "gatehouse-admin"] });
    await pastTheInterval();
    expect((await listBackends(cookie)).status).toBe(200);
  });

  it("a user disabled at the IdP is signed out: the refresh is refused and the session ends", async () => {
    const cookie = await portalSessionCookie(env.world, "admin");
    expect((await listBackends(cookie)).status).toBe(200);
    env.world.keycloak.updateUser("admin", { disabled: true });
    try {
      await pastTheInterval();
      const res = await listBackends(cookie);
      expect(res.status).toBe(401);
      // The cookie written back holds an ended session: no roles, no refresh token.
      const ended = await decode({ token: nextCookie(cookie, res.setCookies).split("=")[1]!, secret: authOptions().secret! });
      expect(ended).toMatchObject({ ended: true });
      expect(ended).not.toHaveProperty("refreshToken");
      expect(ended).not.toHaveProperty("roles");
    } finally {
      env.world.keycloak.updateUser("admin", { disabled: false });
    }
  });

  it("keeps the Keycloak refresh token only inside the encrypted session cookie (a JWE)", async () => {
    const cookie = await portalSessionCookie(env.world, "alice");
    const value = cookie.split("=")[1]!;
    const [header] = value.split(".");
    expect(value.split(".")).toHaveLength(5); // compact JWE: header.key.iv.ciphertext.tag
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toMatchObject({ alg: "dir", enc: "A256GCM" });
    const inside = await decode({ token: value, secret: authOptions().secret! });
    expect(inside?.refreshToken).toEqual(expect.any(String));
    expect(value).not.toContain(String(inside?.refreshToken));
  });
});
