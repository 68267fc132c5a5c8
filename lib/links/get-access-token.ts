// The token broker: a user's access token for one provider, valid for at least a minute.
// Hot path: a fresh token comes from the in-process cache without touching the database.
// Otherwise one load per link is in flight in this process (concurrent callers share it), and a
// refresh is serialized across replicas by refreshLink's row lock.
import { getDb } from "@/lib/db";
import { isDatabaseError } from "@/lib/db/database-error";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";
import { decryptLinkToken } from "@/lib/links/link-tokens";
import { linkRequired, markNeedsRelink, unreadableReason } from "@/lib/links/mark-needs-relink";
import { hasLife, REFRESH_AHEAD_MS, refreshLink } from "@/lib/links/refresh-link";
import { cacheKey, invalidateLink, tokenCache, type CachedToken } from "@/lib/links/token-cache";
import { log } from "@/lib/log";
import { countCacheLookup } from "@/lib/metrics/observe";

export interface AccessToken {
  accessToken: string;
  expiresAt: Date | null;
  linkId: string;
  version: number;
}

/** How long a cached token is trusted before the row is read again (another replica may have unlinked). */
export const CACHE_MAX_AGE_MS = 30_000;
/**
 * While the database cannot be reached (or fails the read), a cached token past CACHE_MAX_AGE_MS is still handed out for
 * this much longer (and only while it has MIN_LIFE_WHILE_AWAY_MS left at the provider): no replica can
 * unlink without the database, so calls that need nothing else keep working through an outage.
 */
export const STALE_WHILE_DATABASE_AWAY_MS = 5 * 60_000;
const MIN_LIFE_WHILE_AWAY_MS = 10_000;
const LAST_USED_EVERY_MS = 60_000;

/** Throws AppError link_required when there is no usable link (the gateway turns it into a URL elicitation). */
export async function getAccessToken(opts: { userId: string; providerId: string }): Promise<AccessToken> {
  return accessTokenFor(opts);
}

/** getAccessToken, with a fresh cached token answered synchronously (the gateway's per-call path: no promise). */
export function accessTokenFor(opts: { userId: string; providerId: string }): AccessToken | Promise<AccessToken> {
  const cached = cachedAccessToken(opts);
  if (cached) return cached;
  // An unlink or relink during the load keeps what it read out of the cache.
  const key = cacheKey(opts.userId, opts.providerId);
  const previous = tokenCache().tokens.peek(key);
  return tokenCache()
    .tokens.load(key, () => loadToken(opts.userId, opts.providerId))
    .then(
      (t) => used(t, opts.userId, key),
      (e: unknown) => {
        if (previous && isDatabaseError(e) && servableWhileDatabaseAway(previous)) return used(previous, opts.userId, key);
        throw e;
      },
    );
}

function servableWhileDatabaseAway(t: CachedToken, now = Date.now()): boolean {
  return now - t.loadedAt < CACHE_MAX_AGE_MS + STALE_WHILE_DATABASE_AWAY_MS && hasLife(t.expiresAt, MIN_LIFE_WHILE_AWAY_MS, now);
}

/** getAccessToken's hit, synchronously; undefined when it must load or refresh. */
function cachedAccessToken(opts: { userId: string; providerId: string }): AccessToken | undefined {
  const key = cacheKey(opts.userId, opts.providerId);
  const now = Date.now();
  const hit = tokenCache().tokens.peek(key);
  const fresh = hit !== undefined && now - hit.loadedAt < CACHE_MAX_AGE_MS && hasLife(hit.expiresAt, REFRESH_AHEAD_MS, now);
  countCacheLookup("linked_account", fresh);
  return fresh ? used(hit, opts.userId, key) : undefined;
}

// One answer per cached token: a hit allocates nothing.
const answers = new WeakMap<CachedToken, AccessToken>();

async function loadToken(userId: string, providerId: string): Promise<CachedToken> {
  const link = await getDb().linkedAccount.findUnique({
    where: { userId_providerId: { userId, providerId } },
    select: {
      id: true,
      status: true,
      statusReason: true,
      accessTokenEnc: true,
      expiresAt: true,
      version: true,
      provider: { select: { slug: true, displayName: true, enabled: true } },
    },
  });
  if (!link) {
    const provider = await getDb().provider.findUnique({ where: { id: providerId }, select: { displayName: true } });
    if (!provider) throw new AppError("not_found", "There is no such provider.");
    throw linkRequired(`No ${provider.displayName} account is linked yet. Link your ${provider.displayName} account to use these tools.`);
  }
  const name = link.provider.displayName;
  if (!link.provider.enabled) throw new AppError("unavailable", `${name} has been disabled by your administrator.`);
  if (link.status !== "active" || !link.accessTokenEnc) {
    throw linkRequired(`Your ${name} link needs to be renewed: ${link.statusReason ?? "link again"}`);
  }
  let accessToken: string;
  try {
    accessToken = decryptLinkToken(link.id, "accessTokenEnc", link.accessTokenEnc);
  } catch (e) {
    const u = unreadableReason(e, name);
    if (u.keep) throw u.error;
    await markNeedsRelink(getDb(), { linkId: link.id, userId, providerSlug: link.provider.slug, reason: u.reason });
    invalidateLink(userId, providerId);
    await emitChange({ kind: "link", userId, providerId });
    throw linkRequired(`Your ${name} link is unusable: ${u.reason}`);
  }
  if (hasLife(link.expiresAt, REFRESH_AHEAD_MS))
    return { accessToken, expiresAt: link.expiresAt, linkId: link.id, version: link.version, loadedAt: Date.now() };
  return refreshLink({ linkId: link.id, userId, providerId });
}

function used(t: CachedToken, userId: string, key: string): AccessToken {
  const cache = tokenCache();
  const now = Date.now();
  // "Last used" on the portal is minute-accurate: one write a minute per link, off the caller's path.
  if (now - (cache.lastUsedWrites.get(key) ?? 0) >= LAST_USED_EVERY_MS) {
    cache.lastUsedWrites.set(key, now);
    getDb()
      .linkedAccount.updateMany({ where: { id: t.linkId, userId }, data: { lastUsedAt: new Date(now) } })
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, "could not record a link's last use"));
  }
  let answer = answers.get(t);
  if (!answer) answers.set(t, (answer = { accessToken: t.accessToken, expiresAt: t.expiresAt, linkId: t.linkId, version: t.version }));
  return answer;
}
