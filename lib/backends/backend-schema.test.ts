import { describe, expect, it } from "vitest";
import { backendInputSchema, backendPatchSchema } from "@/lib/backends/backend-schema";
import { fieldErrors } from "@/lib/errors";

const base = { slug: "search", displayName: "Search", url: "https://search.example.com/mcp" };
const errorsOf = (input: unknown) => {
  const r = backendInputSchema.safeParse(input);
  return r.success ? {} : fieldErrors(r.error.issues);
};

describe("backend schema", () => {
  it("accepts each outgoing auth mode with its fields, and fills defaults", () => {
    const modes = [
      { mode: "none" },
      { mode: "static_header", headerName: "X-Api-Key", value: "sk-1" },
      { mode: "token_exchange", clientId: "gatehouse", clientSecret: "s", audience: "tickets" },
      { mode: "linked_account", providerId: "6f1c2a44-8c1e-4f7e-9a7a-2b0f7f0e8c11" },
      { mode: "client_credentials", tokenEndpoint: "https://idp.example.com/token", clientId: "svc", clientSecret: "s" },
    ];
    for (const auth of modes) {
      const r = backendInputSchema.parse({ ...base, auth });
      expect(r.auth.mode).toBe(auth.mode);
      expect(r).toMatchObject({ transport: "streamable_http", timeoutMs: 30_000, toolPrefix: null, enabled: true, toolAllow: [] });
    }
  });

  it("names each missing mode field", () => {
    expect(errorsOf({ ...base, auth: { mode: "static_header" } })).toEqual({
      "auth.headerName": ["is required"],
      "auth.value": ["is required"],
    });
    expect(Object.keys(errorsOf({ ...base, auth: { mode: "token_exchange" } })).sort()).toEqual([
      "auth.audience",
      "auth.clientId",
      "auth.clientSecret",
    ]);
    expect(errorsOf({ ...base, auth: { mode: "linked_account" } })).toEqual({ "auth.providerId": ["is required"] });
    expect(Object.keys(errorsOf({ ...base, auth: { mode: "client_credentials" } })).sort()).toEqual([
      "auth.clientId",
      "auth.clientSecret",
      "auth.tokenEndpoint",
    ]);
  });

  it("refuses an unknown mode, a missing auth, and bad URLs, slugs and limits", () => {
    expect(errorsOf({ ...base, auth: { mode: "passthrough" } })["auth.mode"]?.[0]).toMatch(/must be one of: none, static_header/);
    expect(errorsOf(base)).toEqual({ auth: ["is required"] });
    const bad = errorsOf({ ...base, slug: "Bad Slug", url: "ftp://x", timeoutMs: 10, transport: "websocket", auth: { mode: "none" } });
    expect(Object.keys(bad).sort()).toEqual(["slug", "timeoutMs", "transport", "url"]);
    expect(errorsOf({ ...base, url: "javascript:alert(1)", auth: { mode: "none" } }).url).toEqual(["must be an http:// or https:// URL"]);
    expect(
      errorsOf({ ...base, auth: { mode: "client_credentials", tokenEndpoint: "not a url", clientId: "a", clientSecret: "b" } }),
    ).toEqual({
      "auth.tokenEndpoint": ["must be an http:// or https:// URL"],
    });
  });

  it("refuses header names the gateway owns and secrets with line breaks", () => {
    expect(errorsOf({ ...base, auth: { mode: "static_header", headerName: "Host", value: "x" } })["auth.headerName"]?.[0]).toMatch(
      /set by the gateway/,
    );
    expect(errorsOf({ ...base, auth: { mode: "static_header", headerName: "X Key", value: "x" } })["auth.headerName"]?.[0]).toMatch(
      /header name/,
    );
    expect(errorsOf({ ...base, auth: { mode: "static_header", headerName: "X-Key", value: "a\r\nInjected: 1" } })["auth.value"]).toEqual([
      "must not contain line breaks",
    ]);
  });

  it("requires an audience with an extra inbound issuer", () => {
    expect(errorsOf({ ...base, inboundIssuer: "https://other.example.com", auth: { mode: "none" } })).toEqual({
      inboundAudience: ["is required when an inbound issuer is set"],
    });
  });

  it("lets a patch omit everything, including a kept secret", () => {
    expect(backendPatchSchema.parse({})).toEqual({});
    expect(backendPatchSchema.parse({ auth: { mode: "static_header", headerName: "X-Key" } }).auth).toEqual({
      mode: "static_header",
      headerName: "X-Key",
    });
    expect(backendPatchSchema.safeParse({ timeoutMs: 0 }).success).toBe(false);
  });
});
