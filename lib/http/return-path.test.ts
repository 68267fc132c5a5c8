// Hostile return URLs: every form that a browser could read as another host falls back.
import { describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { setEnvForTests } from "@/lib/env";
import { safeReturnPath } from "@/lib/http/return-path";
import { parseReturnTo } from "@/lib/links/return-to";

const hostile = [
  "//evil.com",
  "//evil.com/links",
  "///evil.com",
  "/\\evil.com",
  "\\\\evil.com",
  "\\/evil.com",
  "/%5Cevil.com",
  "/%5cevil.com",
  "/%2F%2Fevil.com",
  "/%2fevil.com",
  "/%252F%252Fevil.com",
  "/%255Cevil.com",
  "https://evil.com",
  "http:evil.com",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "/javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "\t//evil.com",
  "/\t/evil.com",
  "/\n/evil.com",
  " //evil.com",
  "/%09/evil.com",
  "/%0d%0aLocation:%20https://evil.com",
  "/ok\r\nSet-Cookie: x=1",
  "/\u0000evil",
  "/%E0%A4%A", // broken percent-encoding
  "evil.com",
  "links",
  "",
  "/" + "a".repeat(2001),
];

const safe: [string, string][] = [
  ["/", "/"],
  ["/links", "/links"],
  ["/links/gitlab?done=1#x", "/links/gitlab?done=1#x"],
  ["/a/../links", "/links"],
  ["/admin/audit?user=alice%40example.com", "/admin/audit?user=alice%40example.com"],
  ["/links?next=https://elsewhere.example", "/links?next=https://elsewhere.example"],
];

describe("safeReturnPath: strictly a same-origin path", () => {
  for (const value of hostile) {
    it(`refuses ${JSON.stringify(value.slice(0, 40))}`, () => {
      expect(safeReturnPath(value)).toBeNull();
      if (value) expect(() => parseReturnTo(value)).toThrow(/returnTo must be a path on this site/);
    });
  }
  for (const [value, expected] of safe) {
    it(`keeps ${value}`, () => {
      expect(safeReturnPath(value)).toBe(expected);
      expect(parseReturnTo(value)).toBe(expected);
    });
  }
});

describe("next-auth's redirect after sign-in and sign-out: the same rule, falling back to /", () => {
  setEnvForTests({
    NODE_ENV: "test",
    APP_URL: "https://gatehouse.example",
    KEYCLOAK_ISSUER: "https://sso.example/realms/a",
    KEYCLOAK_CLIENT_ID: "g",
    KEYCLOAK_CLIENT_SECRET: "s",
    AUTH_SECRET: "x".repeat(32),
    LOG_LEVEL: "silent",
  });
  const redirect = (url: string) => authOptions().callbacks!.redirect!({ url, baseUrl: "https://gatehouse.example" });

  it("keeps our own paths and absolute URLs on our origin", async () => {
    expect(await redirect("/links")).toBe("https://gatehouse.example/links");
    expect(await redirect("https://gatehouse.example/admin?x=1")).toBe("https://gatehouse.example/admin?x=1");
  });
  for (const value of [
    ...hostile.filter(Boolean),
    "https://gatehouse.example.evil.com/",
    "https://gatehouse.example//evil.com",
    "https://gatehouse.example/\\evil.com",
  ]) {
    it(`sends ${JSON.stringify(value.slice(0, 40))} to /`, async () => {
      expect(await redirect(value)).toBe("https://gatehouse.example/");
    });
  }
});
