// tools/list, prompts/list, resources/list, resources/templates/list: every reachable backend's
// catalog, fetched in parallel (each within its own timeout; a failing backend is left out), merged
// under the naming and conflict rules of naming.ts, served in pages (list-pages.ts).
import type { Prompt, Resource, ResourceTemplate, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Catalog } from "@/gateway/catalog/catalog";
import { catalogFor } from "@/gateway/catalog/catalog-for";
import { isOpen } from "@/gateway/catalog/circuit-breaker";
import { withinListBudget } from "@/gateway/catalog/list-budget";
import type { MergedPage } from "@/gateway/catalog/merged-lists";
import { isNameAllowed, routeName, type NameKind } from "@/gateway/catalog/naming";
import { prefixUri } from "@/gateway/catalog/resource-uris";
import type { RequestContext } from "@/gateway/context";
import { stampFor } from "@/gateway/http/era";
import { cursorAt, page, pageStart } from "@/gateway/methods/list-pages";
import { rpcError, rpcResultWith, SERIALIZED } from "@/gateway/replies/replies";
import type { GatewayReply, JsonRpcRequest } from "@/gateway/types";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { RPC } from "@/lib/json-rpc-errors";
import { log } from "@/lib/log";

export const LIST_METHODS = {
  "tools/list": "tools",
  "prompts/list": "prompts",
  "resources/list": "resources",
  "resources/templates/list": "resourceTemplates",
} as const;

export async function listReply(ctx: RequestContext, message: JsonRpcRequest, field: keyof Catalog): Promise<GatewayReply> {
  const start = pageStart(ctx, message.method, message.params?.cursor);
  if (typeof start !== "number") return rpcError(message.id, RPC.invalidParams, start.problem);
  const store = ctx.parts.catalogs;
  const key = store.merged.keyOf(ctx, message.method, start);
  // Read before the catalogs are: a change while they load leaves what is built here stale.
  const generation = store.generation;
  const cached = store.merged.get(key, generation);
  if (cached) return pageReply(ctx, message, field, cached);
  const { catalogs, complete } = await loadCatalogs(ctx);
  const { items, nextStart } = page(message.method, mergedItems(ctx, catalogs, field), start);
  const merged = { json: JSON.stringify(items), nextStart };
  // A backend left out or stood in for (down, over its budget) may be back on the next list: not kept.
  if (complete) store.merged.set(key, generation, merged);
  return pageReply(ctx, message, field, merged);
}

function pageReply(ctx: RequestContext, message: JsonRpcRequest, field: keyof Catalog, merged: MergedPage): GatewayReply {
  const nextCursor = merged.nextStart === undefined ? undefined : cursorAt(ctx, message.method, merged.nextStart);
  const result = stampFor(ctx.era, message.method, { [field]: SERIALIZED, ...(nextCursor ? { nextCursor } : {}) });
  return rpcResultWith(message.id, result, merged.json);
}

function mergedItems(ctx: RequestContext, catalogs: { backend: RuntimeBackend; catalog: Catalog }[], field: keyof Catalog): unknown[] {
  if (field === "tools" || field === "prompts") return namedItems(ctx, catalogs, field);
  if (field === "resources")
    return unique(
      catalogs,
      (c, b) => c.resources.map((r) => ({ ...r, uri: prefixUri(b, !!ctx.slug, r.uri) })),
      (r: Resource) => r.uri,
    );
  return unique(
    catalogs,
    (c, b) => c.resourceTemplates.map((t) => ({ ...t, uriTemplate: prefixUri(b, !!ctx.slug, t.uriTemplate) })),
    (t: ResourceTemplate) => t.uriTemplate,
  );
}

/** Every usable backend's catalog; `complete` when none was left out or served stale past its budget. */
export async function loadCatalogs(
  ctx: RequestContext,
): Promise<{ catalogs: { backend: RuntimeBackend; catalog: Catalog }[]; complete: boolean }> {
  const usable = ctx.backends.filter((b) => !b.problem);
  const catalogs = await Promise.all(usable.map((backend) => withinListBudget(ctx, backend, () => catalogFor(ctx, backend))));
  const found = usable.flatMap((backend, i) => (catalogs[i] ? [{ backend, catalog: catalogs[i] }] : []));
  // An open breaker means a last good list stood in for a sick backend: its recovery must show at once.
  return { catalogs: found, complete: found.length === usable.length && !usable.some((b) => isOpen(b.id)) };
}

function namedItems(ctx: RequestContext, catalogs: { backend: RuntimeBackend; catalog: Catalog }[], kind: NameKind): (Tool | Prompt)[] {
  const known = ctx.parts.catalogs.knownNames.bind(ctx.parts.catalogs);
  const out: (Tool | Prompt)[] = [];
  const seen = new Set<string>();
  for (const { backend, catalog } of catalogs) {
    const prefix = ctx.slug ? "" : backend.prefix;
    for (const item of catalog[kind]) {
      if (kind === "tools" && !isNameAllowed(backend, item.name)) continue;
      const name = prefix + item.name;
      if (seen.has(name)) continue;
      const owner = ctx.slug ? backend : routeName(name, ctx.backends, kind, known)?.backend;
      if (owner !== backend) {
        log.warn({ name, kept: owner?.slug, dropped: backend.slug }, "name conflict between backends; see gateway/naming.ts");
        continue;
      }
      seen.add(name);
      out.push({ ...item, name });
    }
  }
  return out;
}

function unique<T>(
  catalogs: { backend: RuntimeBackend; catalog: Catalog }[],
  items: (c: Catalog, b: RuntimeBackend) => T[],
  keyOf: (item: T) => string,
): T[] {
  const seen = new Map<string, string>();
  const out: T[] = [];
  for (const { backend, catalog } of catalogs) {
    for (const item of items(catalog, backend)) {
      const key = keyOf(item);
      const owner = seen.get(key);
      if (owner) {
        if (owner !== backend.slug)
          log.warn({ uri: key, kept: owner, dropped: backend.slug }, "resource offered by two backends; the first by slug wins");
        continue;
      }
      seen.set(key, backend.slug);
      out.push(item);
    }
  }
  return out;
}
