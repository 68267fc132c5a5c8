// The one request guard's origin rule, as the consent form and every cookie-authenticated state
// change meet it: only the app's own origin (or Sec-Fetch-Site same-origin without an Origin).
import { beforeAll, describe, expect, it } from "vitest";
import { assertSameOrigin } from "@/lib/auth/request-guard";
import { setEnvForTests } from "@/lib/env";

beforeAll(() => {
  setEnvForTests({
    NODE_ENV: "test",
    APP_URL: "https://gatehouse.example.com",
    KEYCLOAK_ISSUER: "https://sso.example.com/realms/a",
    KEYCLOAK_CLIENT_ID: "g",
    KEYCLOAK_CLIENT_SECRET: "s",
    LOG_LEVEL: "silent",
  });
});

const post = (headers: Record<string, string>) =>
  new Request("https://gatehouse.example.com/oauth/interaction/u/decision", { method: "POST", headers });

describe("assertSameOrigin", () => {
  it("accepts the app's own Origin, or Sec-Fetch-Site same-origin without one", () => {
    expect(() => assertSameOrigin(post({ origin: "https://gatehouse.example.com" }))).not.toThrow();
    expect(() => assertSameOrigin(post({ "sec-fetch-site": "same-origin" }))).not.toThrow();
  });

  it("refuses another origin, a sibling subdomain, a null origin, and a request that says nothing, with a 403 naming why", () => {
    const forged: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "https://x.gatehouse.example.com" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      {},
    ];
    for (const headers of forged) {
      expect(() => assertSameOrigin(post(headers)), JSON.stringify(headers)).toThrow(
        expect.objectContaining({ code: "forbidden", message: expect.stringMatching(/cross-site request refused/) }),
      );
    }
  });
});
