// The enabled, working backends a user may use — those the gateway lists for them (one visibility
// rule, lib/backends/is-visible-to.ts) — for the Connect page and a personal access token's endpoint.
import { isVisibleTo } from "@/lib/backends/is-visible-to";
import { loadRuntimeBackends } from "@/lib/backends/runtime";

export interface UsableBackend {
  slug: string;
  displayName: string;
}

export async function findUsableBackends(
  caller: { roles: readonly string[]; groups: readonly string[] },
  opts: { slug?: string } = {},
): Promise<UsableBackend[]> {
  const backends = await loadRuntimeBackends();
  return backends
    .filter((b) => !b.problem && (!opts.slug || b.slug === opts.slug) && isVisibleTo(b, caller))
    .map((b) => ({ slug: b.slug, displayName: b.displayName }))
    .sort((a, b) => a.slug.localeCompare(b.slug));
}
