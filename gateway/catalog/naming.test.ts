import { describe, expect, it } from "vitest";
import { isNameAllowed, isVisibleTo, routeName, type KnownNames } from "@/gateway/catalog/naming";
import type { RuntimeBackend } from "@/lib/backends/runtime";

function backend(slug: string, over: Partial<RuntimeBackend> = {}): RuntimeBackend {
  return {
    id: `id-${slug}`,
    slug,
    displayName: slug,
    url: "http://x/mcp",
    transport: "streamable_http",
    timeoutMs: 1000,
    prefix: `${slug}_`,
    toolAllow: [],
    toolDeny: [],
    visibleToRoles: [],
    visibleToGroups: [],
    auth: { mode: "none" },
    auditArguments: false,
    version: "v",
    ...over,
  };
}
const none: KnownNames = () => undefined;

describe("routeName", () => {
  const [git, gitlab] = [backend("git"), backend("gitlab")];

  it("strips the backend's prefix", () => {
    expect(routeName("gitlab_create_issue", [git, gitlab], "tools", none)).toEqual({ backend: gitlab, name: "create_issue" });
    expect(routeName("git_log", [git, gitlab], "tools", none)).toEqual({ backend: git, name: "log" });
  });

  it("gives an overlapping name to the longest prefix", () => {
    const a = backend("a", { prefix: "x_" });
    const b = backend("b", { prefix: "x_y_" });
    expect(routeName("x_y_z", [a, b], "tools", none)?.backend).toBe(b);
  });

  it("between equal prefixes, prefers the backend known to have the tool, else the first by slug", () => {
    const a = backend("a", { prefix: "" });
    const b = backend("b", { prefix: "" });
    const known: KnownNames = (x) => (x === b ? new Set(["only_b"]) : new Set(["shared"]));
    expect(routeName("only_b", [a, b], "tools", known)?.backend).toBe(b);
    expect(routeName("shared", [a, b], "tools", known)?.backend).toBe(a);
    expect(routeName("unknown", [a, b], "tools", none)?.backend).toBe(a);
  });

  it("routes no name that matches no prefix, nor the bare prefix", () => {
    expect(routeName("other_tool", [git, gitlab], "tools", none)).toBeUndefined();
    expect(routeName("git_", [git], "tools", none)).toBeUndefined();
  });
});

describe("isNameAllowed", () => {
  it("applies the allow list, then the deny list, with * wildcards", () => {
    const b = backend("b", { toolAllow: ["get_*", "create_issue"], toolDeny: ["get_secret*"] });
    expect(isNameAllowed(b, "get_issue")).toBe(true);
    expect(isNameAllowed(b, "create_issue")).toBe(true);
    expect(isNameAllowed(b, "delete_issue")).toBe(false);
    expect(isNameAllowed(b, "get_secret_key")).toBe(false);
    expect(isNameAllowed(backend("c"), "anything")).toBe(true);
    expect(isNameAllowed(backend("d", { toolDeny: ["a.b"] }), "axb")).toBe(true);
  });
});

describe("isVisibleTo", () => {
  it("is open when no roles or groups are listed, else needs any one of them", () => {
    expect(isVisibleTo(backend("open"), { roles: [], groups: [] })).toBe(true);
    const b = backend("b", { visibleToRoles: ["dev"], visibleToGroups: ["/engineering"] });
    expect(isVisibleTo(b, { roles: ["dev"], groups: [] })).toBe(true);
    expect(isVisibleTo(b, { roles: [], groups: ["/engineering"] })).toBe(true);
    expect(isVisibleTo(b, { roles: ["user"], groups: ["/sales"] })).toBe(false);
  });
});
