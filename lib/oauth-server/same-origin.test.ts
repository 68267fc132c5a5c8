// The consent form's POST must come from Gatehouse's own page.
import { beforeAll, describe, expect, it } from "vitest";
import { setEnvForTests } from "@/lib/env";
import { isSameOriginRequest } from "@/lib/oauth-server/same-origin";

beforeAll(() => {
  setEnvForTests({ NODE_ENV: "test", APP_URL: "https://gatehouse.example.com", KEYCLOAK_ISSUER: "https://sso.example.com/realms/a", KEYCLOAK_CLIENT_ID: "g", KEYCLOAK_CLIENT_SECRET: "s", LOG_LEVEL: "silent" });
});

const post = (headers: Record<string, string>) => new Request("https://gatehouse.example.com/oauth/interaction/u/decision", { method: "POST", headers });

describe("isSameOriginRequest", () => {
  it("accepts the app's own Origin, or Sec-Fetch-Site same-origin without one", () => {
    expect(isSameOriginRequest(post({ origin: "https://gatehouse.example.com" }))).toBe(true);
    expect(isSameOriginRequest(post({ "sec-fetch-site": "same-origin" }))).toBe(true);
  });

  it("refuses another origin, a sibling subdomain, a null origin, and a request that says nothing", () => {
    expect(isSameOriginRequest(post({ origin: "https://evil.example" }))).toBe(false);
    expect(isSameOriginRequest(post({ origin: "https://x.gatehouse.example.com" }))).toBe(false);
    expect(isSameOriginRequest(post({ origin: "null" }))).toBe(false);
    expect(isSameOriginRequest(post({ "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOriginRequest(post({}))).toBe(false);
  });
});
