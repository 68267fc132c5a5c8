// The token broker's in-process state: decrypted access tokens per (user, provider), so the
// gateway's per-call path needs no database round trip while a token is fresh, and one in-flight
// load or refresh per link, so concurrent callers share it (lib/cache/pending-cache.ts). On
// globalThis (singleton): Next's bundle and server.ts load separate copies of this module.
import { LRUCache } from "lru-cache";
import { PendingCache } from "@/lib/cache/pending-cache";
import { env } from "@/lib/env";
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

type State = {
  /** Keyed by cacheKey(); a load in flight is shared, and one that an invalidation overtook is not kept. */
  tokens: PendingCache<string, CachedToken>;
  lastUsedWrites: LRUCache<string, number>;
  subscribed: boolean;
};

// Made on first use, not on import: its bound comes from the configuration.
let made: State | undefined;
function state(): State {
  return (made ??= singleton(
    "links.tokenCache",
    (): State => ({
      // Bounded (GATEWAY_CREDENTIAL_CACHE_SIZE, LRU): a token dropped is read from its row again on next use.
      tokens: new PendingCache<string, CachedToken>({ maxEntries: env().GATEWAY_CREDENTIAL_CACHE_SIZE }),
      lastUsedWrites: new LRUCache<string, number>({ max: env().GATEWAY_CREDENTIAL_CACHE_SIZE }),
      subscribed: false,
    }),
    (s) => {
      s.tokens.clear();
      s.lastUsedWrites.clear();
    },
  ));
}

export const cacheKey = (userId: string, providerId: string) => `${userId}:${providerId}`;

export function tokenCache(): State {
  const s = state();
  if (!s.subscribed) {
    s.subscribed = true;
    onChange((e) => {
      if (e.kind === "link") invalidateLink(e.userId, e.providerId);
      if (e.kind === "provider") invalidateProvider(e.id);
      if (e.kind === "all") s.tokens.clear();
    });
  }
  return s;
}

/** Drops the cached token of one link (unlink, relink, needs_relink, another writer). */
export function invalidateLink(userId: string, providerId: string): void {
  state().tokens.invalidate(cacheKey(userId, providerId));
}

/** A provider was edited, disabled or deleted: its links are re-read on next use. */
export function invalidateProvider(providerId: string): void {
  state().tokens.invalidateWhere((key) => key.endsWith(`:${providerId}`));
}
