// Issued tokens kept until EARLY_EXPIRY_MS before they expire, with concurrent requests for the same
// key coalesced into one token endpoint call.
import type { IssuedToken } from "@/gateway/credentials/request-access-token";

const EARLY_EXPIRY_MS = 30_000;
const MAX_ENTRIES = 100_000;

export class TokenCache {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly pending = new Map<string, Promise<IssuedToken>>();

  /** A cached token synchronously (no promise on the per-call path); otherwise a promise. */
  get(key: string, issue: () => Promise<IssuedToken>): string | Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - EARLY_EXPIRY_MS > Date.now()) return cached.accessToken;
    return this.load(key, issue);
  }

  private async load(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    let p = this.pending.get(key);
    if (!p) {
      p = issue()
        .then((token) => {
          if (token.expiresAt - EARLY_EXPIRY_MS > Date.now()) {
            if (this.tokens.size >= MAX_ENTRIES) this.prune();
            this.tokens.set(key, token);
          }
          return token;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return (await p).accessToken;
  }

  /** Drops every entry whose key starts with `prefix` ("" drops all). */
  drop(prefix: string): void {
    for (const key of this.tokens.keys()) if (key.startsWith(prefix)) this.tokens.delete(key);
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, t] of this.tokens) if (t.expiresAt - EARLY_EXPIRY_MS <= now) this.tokens.delete(key);
    if (this.tokens.size >= MAX_ENTRIES) this.tokens.clear();
  }
}
