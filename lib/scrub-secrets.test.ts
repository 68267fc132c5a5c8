import { describe, expect, it } from "vitest";
import { scrubSecrets, secretFreeExcerpt } from "@/lib/scrub-secrets";

describe("scrubSecrets", () => {
  it("replaces every occurrence, a bearer token with or without its scheme, and ignores values too short to matter", () => {
    expect(scrubSecrets("a sk-123456 b sk-123456 Bearer tok-abcdef tok-abcdef on", ["sk-123456", "Bearer tok-abcdef", "on"])).toBe(
      "a [redacted] b [redacted] [redacted] [redacted] on",
    );
  });

  it("scrubs before it cuts, so no start of a secret survives at the limit", () => {
    const key = "KEY-0123456789";
    for (let offset = 0; offset <= 20; offset++) {
      const text = `${"x".repeat(offset)}${key}${"y".repeat(20)}`;
      const excerpt = secretFreeExcerpt(text, [key], 12);
      expect(excerpt).not.toContain("KEY-");
      expect(excerpt.length).toBeLessThanOrEqual(12);
    }
  });
});
