import { describe, expect, it } from "vitest";
import { backendInputFromForm, formValues } from "@/lib/backends/backend-form";
import { backendInputSchema } from "@/lib/backends/backend-schema";

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.append(k, v);
  return f;
};

describe("backend form", () => {
  it("becomes the REST input shape, with only the chosen mode's fields, lists split and blanks as defaults", () => {
    const input = backendInputFromForm(
      form({
        slug: " search ",
        displayName: "Search",
        url: "https://search.example.com/mcp",
        transport: "sse",
        timeoutMs: "5000",
        toolPrefix: "",
        toolAllow: "a, b\nc",
        visibleToRoles: "",
        auditArguments: "on",
        "auth.mode": "static_header",
        "auth.headerName": "X-Api-Key",
        "auth.value": " sk secret ",
        "auth.clientId": "left over from another mode",
      }),
    );
    expect(input).toMatchObject({
      slug: "search",
      transport: "sse",
      timeoutMs: 5000,
      toolPrefix: null,
      toolAllow: ["a", "b", "c"],
      visibleToRoles: [],
      auditArguments: true,
    });
    expect(input.auth).toEqual({ mode: "static_header", headerName: "X-Api-Key", value: " sk secret " });
    expect(backendInputSchema.safeParse(input).success).toBe(true);
  });

  it("omits an empty secret (keep the stored one) and reports a non-numeric timeout", () => {
    const input = backendInputFromForm(
      form({ slug: "s1", displayName: "S", url: "https://x", timeoutMs: "soon", "auth.mode": "token_exchange", "auth.clientSecret": "" }),
    );
    expect(input.auth).toEqual({ mode: "token_exchange" });
    const r = backendInputSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.find((i) => i.path[0] === "timeoutMs")?.message).toBe("must be a number");
  });

  it("never echoes secrets back", () => {
    expect(formValues(form({ slug: "s", "auth.value": "sk-1", "auth.clientSecret": "cs", "auth.headerName": "X" }))).toEqual({
      slug: "s",
      "auth.headerName": "X",
    });
  });
});
