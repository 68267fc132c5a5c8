import { isVisibleTo } from "@/lib/backends/is-visible-to";
import { loadRuntimeBackends } from "@/lib/backends/runtime";

export interface UsableBackend {
  slug: string;
  displayName: string;
}

/** The enabled, working backends the caller may use, by slug: those the gateway lists for them. */
export async function findUsableBackends(caller: { roles: readonly string[]; groups: readonly string[] }): Promise<UsableBackend[]> {
  const backends = await loadRuntimeBackends();
  return backends.filter((b) => !b.problem && isVisibleTo(b, caller)).map((b) => ({ slug: b.slug, displayName: b.displayName }));
}
