// The refresh, serialized per link across every replica: the LinkedAccount row is locked
// (SELECT … FOR UPDATE) for the whole exchange, so a second replica waits, then finds the fresh
// token and does not refresh again. The rotated refresh token is written in the same transaction
// as the new access token: GitLab and GitHub invalidate the old one on use, so losing it would
// lose the link. Holding a row lock across an HTTP call is bounded by the request timeout and the
// retry budget (requestRefresh). PGlite is a single connection, so there the transaction simply
// queues other queries; the same code is correct on both.
import { auditInTransaction, recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";
import { decryptLinkToken, encryptLinkTokens, expiryFrom } from "@/lib/links/link-tokens";
import { linkRequired, markNeedsRelink, unreadableReason } from "@/lib/links/mark-needs-relink";
import { requestRefresh } from "@/lib/links/request-refresh";
import { invalidateLink, type CachedToken } from "@/lib/links/token-cache";
import { countTokenRefresh } from "@/lib/metrics/observe";
import { getProviderOAuth } from "@/lib/providers/get-provider-oauth";
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

export async function refreshLink(l: { linkId: string; userId: string; providerId: string }): Promise<CachedToken> {
  // Read before the transaction: on PGlite a query outside it would wait for it to end.
  const p = await getProviderOAuth({ id: l.providerId });
  const started = Date.now();
  const outcome = await getDb().$transaction(
    async (tx): Promise<Outcome> => {
      await tx.$queryRaw`SELECT id FROM "LinkedAccount" WHERE id = ${l.linkId} AND "userId" = ${l.userId} FOR UPDATE`;
      const row = await tx.linkedAccount.findFirst({
        where: { id: l.linkId, userId: l.userId },
        select: { status: true, statusReason: true, accessTokenEnc: true, refreshTokenEnc: true, expiresAt: true, version: true },
      });
      if (!row) return { kind: "relink", reason: `No ${p.displayName} account is linked any more.`, changed: false };
      if (row.status !== "active" || !row.accessTokenEnc)
        return { kind: "relink", reason: row.statusReason ?? "the link was revoked", changed: false };
      const mark = async (reason: string): Promise<Outcome> => {
        await markNeedsRelink(tx, { linkId: l.linkId, userId: l.userId, providerSlug: p.slug, reason });
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
      // Another replica refreshed while this one waited for the lock.
      if (hasLife(row.expiresAt, REFRESH_AHEAD_MS)) return { kind: "token", token: current };
      const stillValid = hasLife(row.expiresAt, MIN_VALIDITY_MS) ? current : undefined;
      if (!refreshToken) {
        if (stillValid) return { kind: "token", token: stillValid };
        return mark(`The ${p.displayName} access token expired and ${p.displayName} issued no refresh token. Link again.`);
      }

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
      const updated = await tx.linkedAccount.update({
        where: { id: l.linkId, userId: l.userId },
        data: {
          ...encryptLinkTokens(l.linkId, next),
          expiresAt,
          ...(t.scope ? { scopes: t.scope.split(" ").filter(Boolean) } : {}),
          refreshedAt: new Date(),
          version: { increment: 1 },
        },
        select: { version: true },
      });
      await auditInTransaction(tx, {
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
        token: { accessToken: t.access_token, expiresAt, linkId: l.linkId, version: updated.version, loadedAt: Date.now() },
      };
    },
    { maxWait: 30_000, timeout: 90_000 },
  );

  if (outcome.kind === "token") return outcome.token;
  if (outcome.kind === "relink") {
    if (outcome.changed) {
      invalidateLink(l.userId, l.providerId);
      emitChange({ kind: "link", userId: l.userId, providerId: l.providerId });
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
