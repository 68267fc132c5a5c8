// One attempt at one outbox row: claim it (so no other replica sends it meanwhile; a claim whose
// replica died lapses after LEASE_MS), send the provider's revocation, then drop the row on success
// or when the tokens are dead anyway, else schedule the next attempt with exponential backoff.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { decryptLinkToken } from "@/lib/links/link-tokens";
import { log } from "@/lib/log";
import { toProviderOAuth } from "@/lib/providers/get-provider-oauth";
import { revokeTokens, type RevokeOutcome } from "@/lib/providers/revoke-tokens";
import { singleton } from "@/lib/singleton";

const LEASE_MS = 60_000;
export const REVOCATION_BACKOFF_MS = { first: 2_000, max: 3600_000 };

export type Delivery =
  | { kind: "revoked" }
  | { kind: "retrying"; error: string; nextAttemptAt: Date }
  | { kind: "gave_up"; error: string }
  /** Another replica holds the row, or it is gone (sent already). */
  | { kind: "busy" };

const providerRow = z.object({
  id: z.string(),
  slug: z.string(),
  kind: z.string(),
  displayName: z.string(),
  baseUrl: z.string().nullable(),
  scopes: z.array(z.string()),
  enabled: z.boolean(),
  authorizationEndpoint: z.string(),
  tokenEndpoint: z.string(),
  userinfoEndpoint: z.string().nullable(),
  revocationEndpoint: z.string().nullable(),
  clientId: z.string(),
  clientSecretEnc: z.string().nullable(),
});

/** Rows this process has claimed and not finished: released on shutdown so another replica takes them at once. */
export const claimedRevocations = singleton("revocations.claimed", () => new Set<string>());

export async function deliverRevocation(id: string): Promise<Delivery> {
  const db = getDb();
  const now = Date.now();
  const claim = await db.revocationOutbox.updateMany({
    where: { id, nextAttemptAt: { lte: new Date(now) } },
    data: { nextAttemptAt: new Date(now + LEASE_MS), attempts: { increment: 1 } },
  });
  if (claim.count === 0) return { kind: "busy" };
  claimedRevocations.add(id);
  try {
    const row = await db.revocationOutbox.findUnique({ where: { id } });
    if (!row) return { kind: "busy" };
    let outcome: RevokeOutcome;
    let permanent = false;
    try {
      const p = toProviderOAuth(providerRow.parse(row.provider));
      permanent = p.kind !== "github" && !p.as.revocation_endpoint;
      outcome = await revokeTokens(p, {
        accessToken: row.accessTokenEnc ? decryptLinkToken(row.linkId, "accessTokenEnc", row.accessTokenEnc) : undefined,
        refreshToken: row.refreshTokenEnc ? decryptLinkToken(row.linkId, "refreshTokenEnc", row.refreshTokenEnc) : undefined,
      });
    } catch {
      // No retry can read a token or secret whose key is gone.
      permanent = true;
      outcome = {
        revoked: false,
        error: `The stored tokens or the client secret could not be decrypted, so they could not be revoked; remove Gatehouse's access in your ${row.providerName} account settings.`,
      };
    }
    const audit = (result: "success" | "failure", detail: Record<string, string | number | boolean>) =>
      recordAudit({
        action: "revoke",
        outcome: result,
        userId: row.userId,
        provider: providerSlug(row.provider),
        detail: { attempts: row.attempts, ...detail },
      });
    if (outcome.revoked) {
      await db.revocationOutbox.deleteMany({ where: { id } });
      audit("success", {});
      return { kind: "revoked" };
    }
    if (permanent || row.giveUpAt.getTime() <= Date.now()) {
      await db.revocationOutbox.deleteMany({ where: { id } });
      audit("failure", { reason: outcome.error, gaveUp: true });
      return { kind: "gave_up", error: outcome.error };
    }
    const wait = Math.min(REVOCATION_BACKOFF_MS.first * 2 ** Math.max(0, row.attempts - 1), REVOCATION_BACKOFF_MS.max);
    const nextAttemptAt = new Date(Math.min(Date.now() + wait, row.giveUpAt.getTime()));
    await db.revocationOutbox.updateMany({ where: { id }, data: { nextAttemptAt, lastError: outcome.error.slice(0, 500) } });
    log.warn(
      { provider: row.providerName, attempts: row.attempts, retryInMs: wait },
      "a provider did not confirm a revocation; retrying later",
    );
    return { kind: "retrying", error: outcome.error, nextAttemptAt };
  } finally {
    claimedRevocations.delete(id);
  }
}

function providerSlug(json: unknown): string | null {
  const parsed = providerRow.pick({ slug: true }).safeParse(json);
  return parsed.success ? parsed.data.slug : null;
}
