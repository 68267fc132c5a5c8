// Which backend a resource URI belongs to. At /api/mcp/<slug>: that backend, the URI unchanged. At
// /api/mcp: a `<slug>+` prefix names it (resource-uris.ts); an unprefixed URI belongs to a backend
// whose prefix is empty, found in the listed resources: an exact URI first, then a template whose
// fixed start matches (the first such backend by slug wins). Lists are loaded when this replica has
// none yet.
import type { Catalog } from "@/gateway/catalog/catalog";
import { routeUri } from "@/gateway/catalog/resource-uris";
import type { RequestContext } from "@/gateway/context";
import { loadCatalogs } from "@/gateway/methods/lists";
import type { RuntimeBackend } from "@/lib/backends/runtime";

export type ResourceOwner = { backend: RuntimeBackend; uri: string };

export function findResourceOwner(ctx: RequestContext, uri: string): ResourceOwner | undefined | Promise<ResourceOwner | undefined> {
  if (ctx.slug) return ctx.backends[0] && { backend: ctx.backends[0], uri };
  const routed = routeUri(uri, ctx.backends);
  if (routed) return routed;
  const unprefixed = ctx.backends.filter((b) => b.prefix === "");
  if (!unprefixed.length) return undefined;
  const cached = unprefixed.flatMap((backend) => {
    const catalog = ctx.parts.catalogs.lastKnownOf(backend);
    return catalog ? [{ backend, catalog }] : [];
  });
  const hit = match(cached, uri);
  if (hit) return { backend: hit, uri };
  return loadCatalogs({ ...ctx, backends: unprefixed }).then(({ catalogs: all }) => {
    const backend = match(all, uri);
    return backend && { backend, uri };
  });
}

function match(catalogs: { backend: RuntimeBackend; catalog: Catalog }[], uri: string): RuntimeBackend | undefined {
  const exact = catalogs.find(({ catalog }) => catalog.resources.some((r) => r.uri === uri));
  if (exact) return exact.backend;
  const templated = catalogs.find(({ catalog }) =>
    catalog.resourceTemplates.some((t) => {
      const fixed = t.uriTemplate.split("{")[0]!;
      return fixed.length > 0 && uri.startsWith(fixed);
    }),
  );
  return templated?.backend;
}
