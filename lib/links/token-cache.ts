// The token broker's in-process state: decrypted access tokens per (user, provider), so the
// gateway's per-call path needs no database round trip while a token is fresh, and one in-flight
// load or refresh per link, so concurrent callers share it. On globalThis (singleton): Next's bundle
// and server.ts load separate copies of this module.
import { onChange } from "@/lib/events";
import { singleton } from "@/lib/singleton";

export interface CachedToken {
  accessToken: string;
  expiresAt: Date | null;
  linkId: string;
  version: number;
  /** When it was read from the database: other replicas' changes are picked up after CACHE_MAX_AGE_MS. */
  loadedAt: number;
}

const state = singleton("links.tokenCache", () => ({
  tokens: new Map<string, CachedToken>(),
  inflight: new Map<string, Promise<CachedToken>>(),
  /** Bumped by every invalidation, so a load that started before it does not store a stale token. */
  generations: new Map<string, number>(),
  lastUsedWrites: new Map<string, number>(),
  subscribed: false,
}), (s) => {
  s.tokens.clear();
  s.inflight.clear();
  s.lastUsedWrites.clear();
  for (const key of s.generations.keys()) s.generations.set(key, (s.generations.get(key) ?? 0) + 1);
});

export const cacheKey = (userId: string, providerId: string) => `${userId}:${providerId}`;

export function tokenCache() {
  if (!state.subscribed) {
    state.subscribed = true;
    onChange((e) => {
      if (e.kind === "link") invalidateLink(e.userId, e.providerId);
      if (e.kind === "provider") invalidateProvider(e.id);
    });
  }
  return state;
}

export function generationOf(key: string): number {
  return state.generations.get(key) ?? 0;
}

/** Drops the cached token of one link (unlink, relink, needs_relink, another writer). */
export function invalidateLink(userId: string, providerId: string): void {
  const key = cacheKey(userId, providerId);
  state.tokens.delete(key);
  state.generations.set(key, generationOf(key) + 1);
}

/** A provider was edited, disabled or deleted: its links are re-read on next use. */
export function invalidateProvider(providerId: string): void {
  for (const key of new Set([...state.tokens.keys(), ...state.inflight.keys()])) {
    if (key.endsWith(`:${providerId}`)) {
      const [userId] = key.split(":");
      invalidateLink(userId!, providerId);
    }
  }
}
