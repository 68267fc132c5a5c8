// The gauges read at scrape time rather than kept up to date on hot paths: the audit queue, the
// database pool and linked accounts by state (a database query, so cached for a few seconds: many
// scrapers, or a scraper per replica, cost one query per interval).
import { auditQueueDepth } from "@/lib/audit/record-audit";
import { getDatabase } from "@/lib/db";
import { countLinksByState, type LinkCount } from "@/lib/links/count-links-by-state";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics/metrics";
import { singleton } from "@/lib/singleton";

const LINKS_CACHE_MS = 5_000;

const links = singleton("metrics.links", () => ({ at: 0, counts: [] as LinkCount[], reading: undefined as Promise<void> | undefined }));

export async function collectGauges(): Promise<void> {
  const m = metrics();
  m.auditQueue.set(auditQueueDepth());
  const pool = getDatabase().poolStats?.();
  if (pool) {
    m.dbPool.set({ state: "total" }, pool.total);
    m.dbPool.set({ state: "idle" }, pool.idle);
    m.dbPool.set({ state: "waiting" }, pool.waiting);
  }
  if (Date.now() - links.at >= LINKS_CACHE_MS) {
    links.reading ??= countLinksByState()
      .then((counts) => {
        links.counts = counts;
        links.at = Date.now();
      })
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, "metrics: could not count linked accounts"))
      .finally(() => (links.reading = undefined));
    await links.reading;
  }
  m.links.reset();
  for (const c of links.counts) m.links.set({ provider: c.provider, state: c.state }, c.count);
}
