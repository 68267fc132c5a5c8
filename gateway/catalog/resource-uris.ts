// Resource URIs and templates at /api/mcp carry their backend, so two backends' URIs never collide
// and a read or subscription goes to the backend that listed the URI: `<slug>+<the backend's URI>`
// (a URI scheme may contain `+`, so the result is still a URI: `tickets+file:///a` has the scheme
// `tickets+file`). A backend whose tool prefix is empty keeps its URIs as they are, like its tool
// names, and at /api/mcp/<slug> nothing is prefixed. Rewritten both ways: in lists and results on
// the way out, in reads, subscriptions and completions on the way in.
import type { RuntimeBackend } from "@/lib/backends/runtime";

export function uriPrefix(backend: Pick<RuntimeBackend, "slug" | "prefix">, scoped: boolean): string {
  return scoped || backend.prefix === "" ? "" : `${backend.slug}+`;
}

export function prefixUri(backend: Pick<RuntimeBackend, "slug" | "prefix">, scoped: boolean, uri: string): string {
  return uriPrefix(backend, scoped) + uri;
}

/** The backend a prefixed URI names and the URI at that backend; undefined for an unprefixed one. */
export function routeUri(uri: string, backends: readonly RuntimeBackend[]): { backend: RuntimeBackend; uri: string } | undefined {
  const plus = uri.indexOf("+");
  if (plus <= 0) return undefined;
  const slug = uri.slice(0, plus);
  const backend = backends.find((b) => b.slug === slug && b.prefix !== "");
  return backend ? { backend, uri: uri.slice(plus + 1) } : undefined;
}

/** A result's resource URIs (resources/read contents, embedded resources) as the client sees them. */
export function prefixResultUris(prefix: string, result: Record<string, unknown>): Record<string, unknown> {
  if (!prefix || !Array.isArray(result.contents)) return result;
  return {
    ...result,
    contents: result.contents.map((c: unknown) =>
      typeof c === "object" && c !== null && typeof (c as { uri?: unknown }).uri === "string"
        ? { ...c, uri: prefix + (c as { uri: string }).uri }
        : c,
    ),
  };
}
