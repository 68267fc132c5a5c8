// Resource URIs are not prefixed (they are URIs, often meaningful to the client), so resources/read
// finds its backend in the listed resources: an exact URI first, then a template whose fixed start
// matches. Lists are loaded when this replica has none yet. The first backend by slug wins.
import type { Catalog } from "@/gateway/catalog/catalog";
import type { RequestContext } from "@/gateway/context";
import { loadCatalogs } from "@/gateway/methods/lists";
import type { RuntimeBackend } from "@/lib/backends/runtime";

export async function findResourceOwner(ctx: RequestContext, uri: string): Promise<RuntimeBackend | undefined> {
  const cached = ctx.backends.flatMap((backend) => {
    const catalog = ctx.parts.catalogs.lastKnownOf(backend);
    return catalog ? [{ backend, catalog }] : [];
  });
  return match(cached, uri) ?? match(await loadCatalogs(ctx), uri);
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
