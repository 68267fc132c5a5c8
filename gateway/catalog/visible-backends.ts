// The backends a request may reach: the enabled ones (or the one of /api/mcp/<slug>) the caller may
// see. The same array is handed out for every request of one caller while the backends are
// unchanged, so what is derived from it (naming.ts's route index, the merged lists) is built once.
import { isVisibleTo } from "@/gateway/catalog/naming";
import type { McpCaller } from "@/gateway/types";
import type { RuntimeBackend } from "@/lib/backends/runtime";

interface Known {
  all: readonly RuntimeBackend[];
  scoped: RuntimeBackend | undefined;
  visible: RuntimeBackend[];
}

// By caller object: authenticate.ts hands out one per verified token.
const known = new WeakMap<McpCaller, Known>();

/** `all` as loadRuntimeBackends() gives it (sorted by slug); `scoped` the backend of /api/mcp/<slug>. */
export function visibleBackends(all: readonly RuntimeBackend[], scoped: RuntimeBackend | undefined, caller: McpCaller): RuntimeBackend[] {
  const hit = known.get(caller);
  if (hit && hit.all === all && hit.scoped === scoped) return hit.visible;
  const visible = (scoped ? [scoped] : all).filter((b) => isVisibleTo(b, caller));
  known.set(caller, { all, scoped, visible });
  return visible;
}
