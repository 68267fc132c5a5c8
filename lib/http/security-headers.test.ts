import { describe, expect, it } from "vitest";
import { securityHeaders } from "@/lib/http/security-headers";

describe("security headers", () => {
  it("forbid framing and sniffing, limit the referrer, and keep scripts to this origin", () => {
    const h = securityHeaders("http://localhost:3000");
    expect(h).toMatchObject({
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    const csp = h["content-security-policy"]!.split("; ");
    expect(csp).toEqual(expect.arrayContaining(["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "default-src 'self'"]));
    expect(csp.find((d) => d.startsWith("script-src"))).not.toMatch(/unsafe-eval|\*|https?:/);
  });

  it("send HSTS only when APP_URL is https", () => {
    expect(securityHeaders("http://localhost:3000")).not.toHaveProperty("strict-transport-security");
    expect(securityHeaders("https://gatehouse.example.com")["strict-transport-security"]).toMatch(/^max-age=\d{8}; includeSubDomains$/);
  });
});
