// Tool and prompt names, and which backend a name belongs to.
//
// Naming rule: at /api/mcp every backend's tools and prompts are exposed as `<prefix><name>`, where
// the prefix is the backend's tool prefix, `<slug>_` unless an admin set another one (possibly "").
// At /api/mcp/<slug> names are the backend's own, unprefixed.
//
// Conflict rule (the same for routing a call and for building a list, so a listed name always
// routes to the backend that listed it):
//   1. candidates are the visible backends whose prefix begins the name; the longest prefix wins;
//   2. between backends with the same (longest) prefix, the first by slug whose last known list
//      has the unprefixed name wins, else the first by slug;
//   3. in a list, a name a backend exposes but does not win is left out, and a warning is logged
//      naming both backends. Backends are always considered in slug order.
import type { RuntimeBackend } from "@/lib/backends/runtime";

export type NameKind = "tools" | "prompts";

/** The names a backend was last seen to offer (from any user's list), for rule 2. */
export type KnownNames = (backend: RuntimeBackend, kind: NameKind) => ReadonlySet<string> | undefined;

export interface Routed {
  backend: RuntimeBackend;
  /** The name at the backend. */
  name: string;
}

/** `backends` must be sorted by slug (loadRuntimeBackends() is). */
export function routeName(name: string, backends: readonly RuntimeBackend[], kind: NameKind, known: KnownNames): Routed | undefined {
  const index = routeIndexOf(backends);
  // Longest prefix first: the first length at which some backend's prefix begins the name wins (rule 1).
  for (const length of index.lengths) {
    if (length >= name.length) continue;
    const best = index.byPrefix.get(name.slice(0, length));
    if (!best) continue;
    const winner = best.length === 1 ? best[0]! : (best.find((b) => known(b, kind)?.has(name.slice(length))) ?? best[0]!);
    return { backend: winner, name: name.slice(length) };
  }
  return undefined;
}

interface RouteIndex {
  /** Backends by their prefix, in slug order. */
  byPrefix: Map<string, RuntimeBackend[]>;
  /** The distinct prefix lengths, longest first. */
  lengths: number[];
}

// A name is routed by a lookup per distinct prefix length, not a walk over every backend: the index
// is built once per backends array (the request's visible set is one array per caller and reload).
const routeIndexes = new WeakMap<readonly RuntimeBackend[], RouteIndex>();

function routeIndexOf(backends: readonly RuntimeBackend[]): RouteIndex {
  let index = routeIndexes.get(backends);
  if (!index) {
    const byPrefix = new Map<string, RuntimeBackend[]>();
    for (const b of backends) {
      const same = byPrefix.get(b.prefix);
      if (same) same.push(b);
      else byPrefix.set(b.prefix, [b]);
    }
    const lengths = [...new Set(backends.map((b) => b.prefix.length))].sort((a, b) => b - a);
    routeIndexes.set(backends, (index = { byPrefix, lengths }));
  }
  return index;
}

/** Allow list (empty = all) then deny list, on the backend's own names; `*` matches any run of characters. */
export function isNameAllowed(backend: Pick<RuntimeBackend, "toolAllow" | "toolDeny">, name: string): boolean {
  if (backend.toolAllow.length && !backend.toolAllow.some((p) => matches(p, name))) return false;
  return !backend.toolDeny.some((p) => matches(p, name));
}

const wildcards = new Map<string, RegExp>();
function matches(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  let re = wildcards.get(pattern);
  if (!re) {
    if (wildcards.size > 5000) wildcards.clear();
    re = new RegExp(
      `^${pattern
        .split("*")
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    wildcards.set(pattern, re);
  }
  return re.test(name);
}

// The visibility rule lives in lib, where the portal uses it too.
export { isVisibleTo } from "@/lib/backends/is-visible-to";
