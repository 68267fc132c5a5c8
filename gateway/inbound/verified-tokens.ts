// Verified access tokens, remembered by their exact text until they expire (at most MAX_AGE_MS), so
// a client's every call does not pay for the signature check again (~0.1 ms each here). Only a
// token that passed every check is kept; the same bytes can only verify the same way. A hit is
// answered synchronously: no promise on the per-call path.
import type { BearerVerifier, VerifiedBearer } from "@/lib/auth/bearer";

const MAX_AGE_MS = 5 * 60_000;
const MAX_ENTRIES = 5_000;

export class VerifiedTokens {
  private readonly byVerifier = new WeakMap<BearerVerifier, Map<string, { verified: VerifiedBearer; until: number }>>();

  verify(verifier: BearerVerifier, token: string): VerifiedBearer | Promise<VerifiedBearer> {
    let tokens = this.byVerifier.get(verifier);
    if (!tokens) this.byVerifier.set(verifier, (tokens = new Map()));
    const hit = tokens.get(token);
    if (hit && hit.until > Date.now()) return hit.verified;
    return this.verifyAndKeep(verifier, tokens, token);
  }

  private async verifyAndKeep(
    verifier: BearerVerifier,
    tokens: Map<string, { verified: VerifiedBearer; until: number }>,
    token: string,
  ): Promise<VerifiedBearer> {
    const verified = await verifier.verify(token);
    const now = Date.now();
    if (tokens.size >= MAX_ENTRIES) {
      for (const [key, entry] of tokens) if (entry.until <= now) tokens.delete(key);
      if (tokens.size >= MAX_ENTRIES) tokens.delete(tokens.keys().next().value!);
    }
    tokens.set(token, { verified, until: Math.min(verified.expiresAt, now + MAX_AGE_MS) });
    return verified;
  }
}
