// Verified access tokens, remembered by their exact text until they expire (at most MAX_AGE_MS), so
// a client's every call does not pay for the signature check again (~0.1 ms each here). Only a
// token that passed every check is kept; the same bytes can only verify the same way. A hit is
// answered synchronously: no promise on the per-call path.
import { LRUCache } from "lru-cache";
import type { BearerVerifier, VerifiedBearer } from "@/lib/auth/bearer";
import { CACHE_SIZE_DEFAULT } from "@/lib/env";

const MAX_AGE_MS = 5 * 60_000;

type Verified = { verified: VerifiedBearer; until: number };

export class VerifiedTokens {
  private readonly byVerifier = new WeakMap<BearerVerifier, LRUCache<string, Verified>>();

  /** `maxEntries` per verifier: GATEWAY_VERIFIED_TOKEN_CACHE_SIZE in the app; past it the least recently used token goes. */
  constructor(private readonly maxEntries = CACHE_SIZE_DEFAULT) {}

  verify(verifier: BearerVerifier, token: string): VerifiedBearer | Promise<VerifiedBearer> {
    let tokens = this.byVerifier.get(verifier);
    if (!tokens) this.byVerifier.set(verifier, (tokens = new LRUCache({ max: this.maxEntries })));
    const hit = tokens.get(token);
    if (hit && hit.until > Date.now()) return hit.verified;
    return this.verifyAndKeep(verifier, tokens, token);
  }

  private async verifyAndKeep(verifier: BearerVerifier, tokens: LRUCache<string, Verified>, token: string): Promise<VerifiedBearer> {
    const verified = await verifier.verify(token);
    tokens.set(token, { verified, until: Math.min(verified.expiresAt, Date.now() + MAX_AGE_MS) });
    return verified;
  }
}
