// The token broker's in-process state: decrypted access tokens per (user, provider), so the
// gateway's per-call path needs no database round trip while a token is fresh, and one in-flight
// load or refresh per link, so concurrent callers share it (lib/cache/pending-cache.ts). On
// globalThis (singleton): Next's bundle and server.ts load separate copies of this module.
import { PendingCache } from "@/lib/cache/pending-cache";
import { onChange } from "@/lib/events";
import { singleton } from "@/lib/singleton";

export interface CachedToken {
  accessToken: string;
  expiresAt: Date | null;
  linkId: string;
  version: number;
  /** When it was read from the database: CACHE_MAX_AGE_MS is the safety net should a change message be lost. */
  loadedAt: number;
}

const state = singleton(
  "links.tokenCache",
  () => ({
    /** Keyed by cacheKey(); a load in flight is shared, and one that an invalidation overtook is not kept. */
    tokens: new PendingCache<string, CachedToken>(),
    lastUsedWrites: new Map<string, number>(),
    subscribed: false,
  }),
  (s) => {
    s.tokens.clear();
    s.lastUsedWrites.clear();
  },
);

export const cacheKey = (userId: string, providerId: string) => `${userId}:${providerId}`;

export function tokenCache() {
  if (!state.subscribed) {
    state.subscribed = true;
    onChange((e) => {
      if (e.kind === "link") invalidateLink(e.userId, e.providerId);
      if (e.kind === "provider") invalidateProvider(e.id);
      if (e.kind === "all") state.tokens.clear();
    });
  }
  return state;
}

/** Drops the cached token of one link (unlink, relink, needs_relink, another writer). */
export function invalidateLink(userId: string, providerId: string): void {
  state.tokens.invalidate(cacheKey(userId, providerId));
}

/** A provider was edited, disabled or deleted: its links are re-read on next use. */
export function invalidateProvider(providerId: string): void {
  state.tokens.invalidateWhere((key) => key.endsWith(`:${providerId}`));
}
