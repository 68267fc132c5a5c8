// The refresh, one per link across every replica, without a transaction open across the HTTP call:
//   1. claim the link (refresh-claim.ts: an advisory lock that dies with its replica);
//   2. read the row: another replica may have refreshed while this one waited;
//   3. call the provider, outside any transaction;
//   4. persist the answer at once, in one UPDATE of its own guarded by the version read in 2 (the
//      audit row is queued, so nothing that fails later can roll the rotated pair back);
//   5. release the claim.
// GitLab and GitHub invalidate the old refresh token on use, so a rotated pair that is not written
// loses the link. A replica killed before 3 leaves the row untouched and its claim released with its
// connection, so the next attempt (here or anywhere) simply refreshes; killed after 4, the pair is
// stored. What remains is the instant between the provider's answer and the UPDATE's commit, with
// no work in between. PGlite is one process: the claim is an in-process queue there.
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";
import { decryptLinkToken, encryptLinkTokens, expiryFrom } from "@/lib/links/link-tokens";
import { linkRequired, markNeedsRelink, unreadableReason } from "@/lib/links/mark-needs-relink";
import { withRefreshClaim } from "@/lib/links/refresh-claim";
import { refreshStep } from "@/lib/links/refresh-steps";
import { requestRefresh } from "@/lib/links/request-refresh";
import { invalidateLink, type CachedToken } from "@/lib/links/token-cache";
import { countTokenRefresh } from "@/lib/metrics/observe";
import { getProviderOAuth, type ProviderOAuth } from "@/lib/providers/get-provider-oauth";
import { currentTraceId, inSpan } from "@/lib/tracing/spans";

/** A token is handed out only with at least this much life left. */
export const MIN_VALIDITY_MS = 60_000;
/** Refresh when less than this is left, so callers rarely wait for a refresh at the last second. */
export const REFRESH_AHEAD_MS = 120_000;

export const hasLife = (expiresAt: Date | null, ms: number, now = Date.now()) => expiresAt === null || expiresAt.getTime() - now >= ms;

type Outcome =
  | { kind: "token"; token: CachedToken }
  | { kind: "relink"; reason: string; changed: boolean }
  | { kind: "failed"; message: string; stillValid?: CachedToken };

type Link = { linkId: string; userId: string; providerId: string };

export async function refreshLink(l: Link): Promise<CachedToken> {
  const p = await getProviderOAuth({ id: l.providerId });
  const started = Date.now();
  const outcome = await withRefreshClaim(l.linkId, async () => {
    refreshStep("claimed");
    const result = await refreshClaimed(l, p, started);
    refreshStep("released");
    return result;
  });

  if (outcome.kind === "token") return outcome.token;
  if (outcome.kind === "relink") {
    if (outcome.changed) {
      invalidateLink(l.userId, l.providerId);
      await emitChange({ kind: "link", userId: l.userId, providerId: l.providerId });
    }
    throw linkRequired(`Your ${p.displayName} link needs to be renewed: ${outcome.reason}`);
  }
  recordAudit({
    action: "refresh",
    outcome: "failure",
    userId: l.userId,
    provider: p.slug,
    latencyMs: Date.now() - started,
    detail: { reason: outcome.message },
  });
  // The old token still has a minute or more: use it, and try the refresh again on a later call.
  if (outcome.stillValid) return outcome.stillValid;
  throw new AppError("upstream", `${outcome.message}. Your link is kept; try again shortly.`);
}

async function refreshClaimed(l: Link, p: ProviderOAuth, started: number): Promise<Outcome> {
  const db = getDb();
  const row = await db.linkedAccount.findFirst({
    where: { id: l.linkId, userId: l.userId },
    select: { status: true, statusReason: true, accessTokenEnc: true, refreshTokenEnc: true, expiresAt: true, version: true },
  });
  if (!row) return { kind: "relink", reason: `No ${p.displayName} account is linked any more.`, changed: false };
  if (row.status !== "active" || !row.accessTokenEnc)
    return { kind: "relink", reason: row.statusReason ?? "the link was revoked", changed: false };
  const mark = async (reason: string): Promise<Outcome> => {
    await markNeedsRelink(db, { linkId: l.linkId, userId: l.userId, providerSlug: p.slug, reason });
    return { kind: "relink", reason, changed: true };
  };

  let accessToken: string;
  let refreshToken: string | null;
  try {
    accessToken = decryptLinkToken(l.linkId, "accessTokenEnc", row.accessTokenEnc);
    refreshToken = row.refreshTokenEnc ? decryptLinkToken(l.linkId, "refreshTokenEnc", row.refreshTokenEnc) : null;
  } catch (e) {
    const u = unreadableReason(e, p.displayName);
    if (u.keep) throw u.error;
    return mark(u.reason);
  }
  const current: CachedToken = { accessToken, expiresAt: row.expiresAt, linkId: l.linkId, version: row.version, loadedAt: Date.now() };
  // Another replica refreshed while this one waited for the claim.
  if (hasLife(row.expiresAt, REFRESH_AHEAD_MS)) return { kind: "token", token: current };
  const stillValid = hasLife(row.expiresAt, MIN_VALIDITY_MS) ? current : undefined;
  if (!refreshToken) {
    if (stillValid) return { kind: "token", token: stillValid };
    return mark(`The ${p.displayName} access token expired and ${p.displayName} issued no refresh token. Link again.`);
  }

  refreshStep("read");
  const r = await inSpan(
    "gatehouse.token_refresh",
    () => ({ "gatehouse.provider": p.slug }),
    () => requestRefresh(p, refreshToken),
  );
  countTokenRefresh(p.slug, r.kind === "ok" ? "success" : r.kind === "rejected" && r.error === "invalid_grant" ? "relink" : "failure");
  if (r.kind === "unreachable")
    return {
      kind: "failed",
      message: `${p.displayName} could not be reached to refresh the token (${r.message}, ${r.attempts} attempts)`,
      stillValid,
    };
  if (r.kind === "rejected") {
    if (r.error === "invalid_grant") {
      return mark(
        `${p.displayName} no longer accepts the stored refresh token (invalid_grant${r.description ? `: ${r.description}` : ""}): the access was revoked or expired there. Link again.`,
      );
    }
    return {
      kind: "failed",
      message: `${p.displayName} refused the refresh (${r.error}); an administrator should check the provider's client settings`,
      stillValid,
    };
  }

  const t = r.tokens;
  const expiresAt = expiryFrom(t.expires_in);
  // No new refresh token in the answer: the provider does not rotate (Keycloak's default), keep ours.
  const next = { accessToken: t.access_token, refreshToken: t.refresh_token ?? refreshToken };
  const { count } = await db.linkedAccount.updateMany({
    where: { id: l.linkId, userId: l.userId, version: row.version },
    data: {
      ...encryptLinkTokens(l.linkId, next),
      expiresAt,
      ...(t.scope ? { scopes: t.scope.split(" ").filter(Boolean) } : {}),
      refreshedAt: new Date(),
      version: { increment: 1 },
    },
  });
  // Unlinked or linked again meanwhile: what the user did last stands.
  if (count === 0) return { kind: "relink", reason: `Your ${p.displayName} link changed while it was being refreshed.`, changed: false };
  refreshStep("persisted");
  recordAudit({
    action: "refresh",
    outcome: "success",
    userId: l.userId,
    provider: p.slug,
    latencyMs: Date.now() - started,
    traceId: currentTraceId(),
    detail: { expiresAt: expiresAt?.toISOString() ?? null, rotated: Boolean(t.refresh_token) },
  });
  return {
    kind: "token",
    token: { accessToken: t.access_token, expiresAt, linkId: l.linkId, version: row.version + 1, loadedAt: Date.now() },
  };
}
