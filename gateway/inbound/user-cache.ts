// issuer + sub → user id, in memory, so an MCP call does not touch the database to know who called.
// The row is upserted on first sight, and again in the background when the token's roles, groups or
// names change or REFRESH_MS has passed (roles and groups on the row are "as last seen"). A hit is
// answered synchronously, and an identity's key and fingerprint are computed once per identity
// object (verified-tokens.ts hands out the same object for every call with the same token).
import type { Identity } from "@/lib/auth/claims";
import { PendingCache } from "@/lib/cache/pending-cache";
import { CACHE_SIZE_DEFAULT } from "@/lib/env";
import { log } from "@/lib/log";
import { upsertUser } from "@/lib/users/upsert-user";

const REFRESH_MS = 10 * 60_000;

interface Entry {
  id: string;
  fingerprint: string;
  refreshedAt: number;
}

export interface UserCache {
  resolve(identity: Identity): string | Promise<string>;
  clear(): void;
}

export function createUserCache(opts: { upsert?: (identity: Identity) => Promise<{ id: string }>; maxEntries?: number } = {}): UserCache {
  const upsert = opts.upsert ?? upsertUser;
  // LRU: past maxEntries (GATEWAY_USER_CACHE_SIZE in the app) the least recently seen user is forgotten (and upserted again if they return).
  const entries = new PendingCache<string, Entry>({ maxEntries: opts.maxEntries ?? CACHE_SIZE_DEFAULT });

  const save = (key: string, identity: Identity, fingerprint: string): Promise<string> =>
    entries.load(key, async () => ({ id: (await upsert(identity)).id, fingerprint, refreshedAt: Date.now() })).then((e) => e.id);

  const derived = new WeakMap<Identity, { key: string; fingerprint: string }>();
  function keyOf(identity: Identity) {
    let d = derived.get(identity);
    if (!d) {
      d = {
        key: `${identity.issuer} ${identity.sub}`,
        fingerprint: JSON.stringify([identity.roles, identity.groups, identity.username, identity.email, identity.name]),
      };
      derived.set(identity, d);
    }
    return d;
  }

  return {
    resolve(identity) {
      const { key, fingerprint } = keyOf(identity);
      const entry = entries.peek(key);
      if (!entry) return save(key, identity, fingerprint);
      if (entry.fingerprint !== fingerprint || Date.now() - entry.refreshedAt > REFRESH_MS) {
        entry.refreshedAt = Date.now(); // one refresh at a time
        save(key, identity, fingerprint).catch((e: unknown) => log.warn({ err: (e as Error).message }, "user refresh failed"));
      }
      return entry.id;
    },
    clear: () => entries.clear(),
  };
}
