// A list never waits on a sick backend: each backend's catalog gets LIST_BUDGET_MS; past that (or
// while its circuit breaker is open) the backend's last good list is served, marked stale in the
// log, and the slow load finishes in the background for the next list (announced as a list change
// when the backend had no earlier list to serve). A load that outlives the
// budget or fails opens the breaker (circuit-breaker.ts) for a growing interval.
import type { Catalog } from "@/gateway/catalog/catalog";
import { isOpen, recordListFailure, recordListSuccess } from "@/gateway/catalog/circuit-breaker";
import type { RequestContext } from "@/gateway/context";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

export function withinListBudget(
  ctx: RequestContext,
  backend: RuntimeBackend,
  load: () => Promise<Catalog | undefined>,
): Promise<Catalog | undefined> {
  const stale = () => ctx.parts.catalogs.lastKnownOf(backend);
  if (isOpen(backend.id)) return Promise.resolve(stale());
  const budgetMs = env().LIST_BUDGET_MS;
  const startedAt = Date.now();
  const loading = load().then(
    (catalog) => {
      if (catalog) recordListSuccess(backend.id);
      else recordListFailure(backend.id);
      return catalog;
    },
    (e: unknown) => {
      recordListFailure(backend.id);
      throw e;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), budgetMs)));
  return Promise.race([loading, budget]).then(
    (result) => {
      clearTimeout(timer);
      if (result !== "late") return result;
      // Still loading: count it as a failure now; a late success closes the breaker again.
      const openMs = recordListFailure(backend.id);
      const catalog = stale();
      // Left out of this list for want of an earlier one: when it arrives, listening clients list again.
      loading.then((late) => late && !catalog && ctx.parts.changeFeed.announce(backend.id)).catch(() => undefined);
      log.warn(
        { backend: backend.slug, budgetMs, openMs, stale: Boolean(catalog), waitedMs: Date.now() - startedAt },
        "backend list over budget; serving its last good list",
      );
      return catalog;
    },
    (e: unknown) => {
      clearTimeout(timer);
      throw e;
    },
  );
}
