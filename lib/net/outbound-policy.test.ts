// The outbound URL policy as a table: every spelling of an internal address is refused, with the
// setting that would allow it named in the reason.
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import {
  addressKind,
  checkOutboundAddress,
  checkOutboundUrl,
  outboundFieldIssues,
  parseAllowedHost,
  type OutboundPolicy,
} from "@/lib/net/outbound-policy";

const production: OutboundPolicy = { allowLoopback: false, allowedHosts: [] };
const development: OutboundPolicy = { allowLoopback: true, allowedHosts: [] };

describe("outbound policy: URLs", () => {
  const table: [string, OutboundPolicy, "ok" | RegExp][] = [
    ["https://gitlab.example.com/oauth/token", production, "ok"],
    ["https://8.8.8.8/", production, "ok"],
    ["https://172.32.0.1/", production, "ok"],
    [
      "http://gitlab.example.com/",
      production,
      /plain http; use https, or allow plain http to this host with OUTBOUND_ALLOWED_HOSTS=http:\/\/gitlab\.example\.com/,
    ],
    ["http://gitlab.example.com/", development, /plain http/],
    ["ftp://example.com/x", development, /ftp: URLs are not fetched/],
    ["file:///etc/passwd", development, /file: URLs are not fetched/],
    ["not a url", development, /not an absolute URL/],
    ["http://10.0.0.1/", production, /plain http/],
    [
      "https://10.0.0.1/",
      production,
      /^refused: 10\.0\.0\.1 is a private address; allow the host with OUTBOUND_ALLOWED_HOSTS=10\.0\.0\.1:443$/,
    ],
    ["https://10.0.0.1/", development, /10\.0\.0\.1 is a private address/],
    ["https://172.16.5.4/", production, /private address/],
    ["https://192.168.1.1:8443/", production, /OUTBOUND_ALLOWED_HOSTS=192\.168\.1\.1:8443/],
    ["https://100.64.0.1/", production, /private address/],
    ["https://169.254.169.254/latest/meta-data/", development, /169\.254\.169\.254 is a link-local address/],
    ["http://169.254.169.254/", development, /plain http/],
    ["https://0.0.0.0/", development, /reserved address/],
    ["https://0/", development, /0\.0\.0\.0 is a reserved address/],
    ["https://[fd12::1]/", development, /private address/],
    ["https://[fe80::1]/", development, /link-local address/],
    ["https://[::ffff:10.0.0.1]/", development, /private address/],
    ["https://[::ffff:169.254.169.254]/", development, /link-local address/],
    ["https://[::ffff:127.0.0.1]/", production, /loopback address/],
    ["https://[64:ff9b::a00:1]/", development, /reserved address/],
    // Loopback, spelled every way URL parsing accepts: allowed in development only.
    ["http://127.0.0.1:8080/", development, "ok"],
    ["http://localhost:8080/", development, "ok"],
    ["http://[::1]:8080/", development, "ok"],
    ["http://127.0.0.1:8080/", production, /plain http to loopback needs OUTBOUND_ALLOW_LOOPBACK=true/],
    [
      "https://127.0.0.1/",
      production,
      /127\.0\.0\.1 is a loopback address; allow the host with OUTBOUND_ALLOWED_HOSTS=127\.0\.0\.1:443, or OUTBOUND_ALLOW_LOOPBACK=true/,
    ],
    ["https://2130706433/", production, /127\.0\.0\.1 is a loopback address/],
    ["https://0x7f.1/", production, /127\.0\.0\.1 is a loopback address/],
    ["https://017700000001/", production, /127\.0\.0\.1 is a loopback address/],
    ["https://127.1/", production, /loopback address/],
    ["https://[::1]/", production, /refused: ::1 is a loopback address; allow the host with OUTBOUND_ALLOWED_HOSTS=\[::1\]:443/],
    ["http://2130706433/", production, /plain http to loopback/],
  ];
  for (const [url, policy, expected] of table) {
    it(`${url} (${policy.allowLoopback ? "development" : "production"}): ${expected === "ok" ? "allowed" : "refused"}`, () => {
      const d = checkOutboundUrl(url, policy);
      if (expected === "ok") expect(d).toEqual({ ok: true });
      else expect(d.ok ? "allowed" : d.reason).toMatch(expected);
    });
  }

  it("an allowed host may use its private address, on its port only; an http:// entry also allows plain http", () => {
    const policy: OutboundPolicy = {
      allowLoopback: false,
      allowedHosts: ["10.0.0.1:8443", "[fd00::5]", "http://tickets.svc:8080"].map(parseAllowedHost),
    };
    expect(checkOutboundUrl("https://10.0.0.1:8443/mcp", policy)).toEqual({ ok: true });
    expect(checkOutboundUrl("https://10.0.0.1:9000/mcp", policy)).toMatchObject({ ok: false });
    expect(checkOutboundUrl("http://10.0.0.1:8443/mcp", policy)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("plain http"),
    });
    expect(checkOutboundUrl("https://[fd00::5]:1234/", policy)).toEqual({ ok: true });
    expect(checkOutboundUrl("http://tickets.svc:8080/mcp", policy)).toEqual({ ok: true });
    expect(checkOutboundUrl("http://tickets.svc:8081/mcp", policy)).toMatchObject({ ok: false });
    expect(checkOutboundAddress("tickets.svc", 8080, "10.1.2.3", policy)).toEqual({ ok: true });
  });

  it("a host name's resolved address is checked as well, naming the host", () => {
    expect(checkOutboundAddress("intranet.example", 443, "10.0.0.7", production)).toEqual({
      ok: false,
      reason:
        "refused: intranet.example resolves to 10.0.0.7, a private address; allow the host with OUTBOUND_ALLOWED_HOSTS=intranet.example:443",
    });
    expect(checkOutboundAddress("localhost", 80, "::1", development)).toEqual({ ok: true });
    expect(checkOutboundAddress("example.com", 443, "93.184.216.34", production)).toEqual({ ok: true });
  });

  it("classifies addresses, IPv4-mapped IPv6 by their IPv4 part", () => {
    expect(addressKind("::ffff:a00:1")).toBe("private");
    expect(addressKind("::ffff:7f00:1")).toBe("loopback");
    expect(addressKind("::")).toBe("reserved");
    expect(addressKind("224.0.0.1")).toBe("reserved");
    expect(addressKind("255.255.255.255")).toBe("reserved");
    expect(addressKind("2606:4700::1111")).toBe("public");
  });

  it("field issues name each refused field", () => {
    expect(
      outboundFieldIssues(
        { url: "https://10.0.0.1/mcp", inboundIssuer: null, "auth.tokenEndpoint": "https://sso.example.com/token" },
        production,
      ),
    ).toEqual({
      url: ["refused: 10.0.0.1 is a private address; allow the host with OUTBOUND_ALLOWED_HOSTS=10.0.0.1:443"],
    });
    expect(outboundFieldIssues({ url: "https://mcp.example.com/" }, production)).toBeUndefined();
  });
});

describe("outbound policy: settings", () => {
  const minimal = { KEYCLOAK_ISSUER: "https://sso.example.com/realms/acme", KEYCLOAK_CLIENT_ID: "c", KEYCLOAK_CLIENT_SECRET: "s" };

  it("loopback is allowed by default outside production only, and can be set either way", () => {
    expect(parseEnv(minimal).OUTBOUND_ALLOW_LOOPBACK).toBe(true);
    expect(parseEnv({ ...minimal, NODE_ENV: "test" }).OUTBOUND_ALLOW_LOOPBACK).toBe(true);
    const prod = {
      ...minimal,
      NODE_ENV: "production",
      GATEHOUSE_KEYS: `k:${Buffer.alloc(32).toString("base64")}`,
      AUTH_SECRET: "x".repeat(32),
    };
    expect(parseEnv(prod).OUTBOUND_ALLOW_LOOPBACK).toBe(false);
    expect(parseEnv({ ...prod, OUTBOUND_ALLOW_LOOPBACK: "true" }).OUTBOUND_ALLOW_LOOPBACK).toBe(true);
    expect(parseEnv({ ...minimal, OUTBOUND_ALLOW_LOOPBACK: "false" }).OUTBOUND_ALLOW_LOOPBACK).toBe(false);
    expect(() => parseEnv({ ...minimal, OUTBOUND_ALLOW_LOOPBACK: "yes" })).toThrow(/OUTBOUND_ALLOW_LOOPBACK must be true or false/);
  });

  it("the allow-list takes hosts, host:port and http:// entries, and names a bad one", () => {
    expect(
      parseEnv({ ...minimal, OUTBOUND_ALLOWED_HOSTS: "search.internal, 10.0.0.5:8443,http://tickets.svc:8080,[fd00::1]:443" })
        .OUTBOUND_ALLOWED_HOSTS,
    ).toEqual(["search.internal", "10.0.0.5:8443", "http://tickets.svc:8080", "[fd00::1]:443"]);
    expect(() => parseEnv({ ...minimal, OUTBOUND_ALLOWED_HOSTS: "https://x/y" })).toThrow(
      /OUTBOUND_ALLOWED_HOSTS must be a comma-separated list of host or host:port/,
    );
    expect(parseAllowedHost("Search.Internal:8443")).toEqual({ hostname: "search.internal", port: 8443, http: false });
  });
});
