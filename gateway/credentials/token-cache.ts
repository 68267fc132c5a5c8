// Issued tokens (token exchange, client credentials) kept until EARLY_EXPIRY_MS before they expire,
// with concurrent requests for the same key coalesced into one token endpoint call. Asking again
// after that is how these tokens are refreshed.
import type { IssuedToken } from "@/gateway/credentials/request-access-token";
import { PendingCache } from "@/lib/cache/pending-cache";
import { CACHE_SIZE_DEFAULT } from "@/lib/env";
import { countCacheLookup } from "@/lib/metrics/observe";

const EARLY_EXPIRY_MS = 30_000;

export class TokenCache {
  private readonly tokens: PendingCache<string, IssuedToken>;

  /** `maxEntries`: GATEWAY_CREDENTIAL_CACHE_SIZE in the app; past it the least recently used token goes. */
  constructor(maxEntries = CACHE_SIZE_DEFAULT) {
    this.tokens = new PendingCache<string, IssuedToken>({ isFresh: (token, now) => token.expiresAt - EARLY_EXPIRY_MS > now, maxEntries });
  }

  /** A cached token synchronously (no promise on the per-call path); otherwise a promise. */
  get(key: string, issue: () => Promise<IssuedToken>): string | Promise<string> {
    const token = this.tokens.get(key, issue);
    countCacheLookup("issued_token", !(token instanceof Promise));
    return token instanceof Promise ? token.then((t) => t.accessToken) : token.accessToken;
  }

  /** The fresh token for `key`, counted as a hit; undefined (not counted: get() follows) when there is none. */
  fresh(key: string): IssuedToken | undefined {
    const token = this.tokens.fresh(key);
    if (token) countCacheLookup("issued_token", true);
    return token;
  }

  /** Drops every entry whose key starts with `prefix` ("" drops all). */
  drop(prefix: string): void {
    this.tokens.invalidateWhere((key) => key.startsWith(prefix));
  }
}
