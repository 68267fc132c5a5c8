// The user's Keycloak refresh token, kept encrypted from the moment they approve an MCP client, so
// a call made with a Gatehouse-issued token (which Keycloak cannot exchange) can still get a Keycloak
// access token for that user: the subject of token_exchange backends' RFC 8693 exchange.
// Refreshed as linked accounts are: the access token is cached in the process until shortly before
// it expires, concurrent callers share one refresh (lib/cache/pending-cache.ts), and the refresh
// holds the IdpToken row lock, so replicas take turns: the one that waited finds the access token
// the first one stored and uses it, and a later refresh uses the refresh token stored with it
// (Keycloak can rotate them: a second use of the old one would end the user's session).
import { keycloakRefreshClient } from "@/lib/auth/keycloak-refresh-client";
import { PendingCache } from "@/lib/cache/pending-cache";
import { decrypt, encrypt } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { REFRESH_AHEAD_MS } from "@/lib/links/refresh-link";
import { requestRefresh } from "@/lib/links/request-refresh";
import { SignInEndedError } from "@/lib/oauth-server/sign-in-ended";
import { singleton } from "@/lib/singleton";

/** Past this many users' tokens, expired ones are dropped, then the oldest. */
const MAX_CACHED = 10_000;
const SIGN_IN_AGAIN = "Sign in to Gatehouse again from your MCP client.";

interface IdpAccessToken {
  accessToken: string;
  /** Epoch ms after which the token is not handed out any more, and a refresh is made. */
  refreshAt: number;
}

// On globalThis (singleton): Next's bundle and server.ts load separate copies of this module.
const cache = singleton(
  "oauthServer.idpAccessTokens",
  () => new PendingCache<string, IdpAccessToken>({ isFresh: (t, now) => now < t.refreshAt, maxEntries: MAX_CACHED }),
  (c) => c.clear(),
);

const aad = (userId: string, field: "refreshTokenEnc" | "accessTokenEnc" = "refreshTokenEnc") => ({ table: "IdpToken", id: userId, field });

/** Keeps a new sign-in's refresh token; a token cached from the previous one is not used again. */
export async function storeIdpRefreshToken(userId: string, refreshToken: string): Promise<void> {
  const refreshTokenEnc = encrypt(refreshToken, aad(userId));
  const update = { refreshTokenEnc, accessTokenEnc: null, accessTokenUntil: null };
  await getDb().idpToken.upsert({ where: { userId }, create: { userId, ...update }, update });
  cache.invalidate(userId);
}

/**
 * A Keycloak access token for the user with at least a minute left. Throws SignInEndedError when
 * Keycloak refuses to renew their sign-in (the kept refresh token is then deleted); AppError
 * "upstream" when none is kept or Keycloak cannot be reached.
 */
export async function idpAccessTokenFor(userId: string): Promise<string> {
  const got = cache.get(userId, () => refreshIdpToken(userId));
  return (got instanceof Promise ? await got : got).accessToken;
}

type Outcome = { kind: "token"; token: IdpAccessToken } | { kind: "ended"; message: string } | { kind: "failed"; message: string };

// None kept (a consent without a portal refresh token, or one Keycloak refused earlier): not a 401,
// which a client whose new sign-in keeps none either would answer by signing in again and again.
const NONE_KEPT = "Gatehouse holds no Keycloak sign-in for you yet: sign in to the Gatehouse portal, then connect the client again.";

async function refreshIdpToken(userId: string): Promise<IdpAccessToken> {
  const keycloak = keycloakRefreshClient();
  const outcome = await getDb().$transaction(
    async (tx): Promise<Outcome> => {
      await tx.$queryRaw`SELECT "userId" FROM "IdpToken" WHERE "userId" = ${userId} FOR UPDATE`;
      const row = await tx.idpToken.findUnique({
        where: { userId },
        select: { refreshTokenEnc: true, accessTokenEnc: true, accessTokenUntil: true },
      });
      if (!row) return { kind: "failed", message: NONE_KEPT };
      // Another replica refreshed while this one waited for the lock (or before this one's cache went cold).
      if (row.accessTokenEnc && row.accessTokenUntil && row.accessTokenUntil.getTime() > Date.now()) {
        return {
          kind: "token",
          token: { accessToken: decrypt(row.accessTokenEnc, aad(userId, "accessTokenEnc")), refreshAt: row.accessTokenUntil.getTime() },
        };
      }
      const r = await requestRefresh(keycloak, decrypt(row.refreshTokenEnc, aad(userId)));
      if (r.kind === "unreachable")
        return {
          kind: "failed",
          message: `Keycloak could not be reached to renew your sign-in (${r.message}, ${r.attempts} attempts); try again shortly.`,
        };
      if (r.kind === "rejected") {
        if (r.error !== "invalid_grant")
          return {
            kind: "failed",
            message: `Keycloak refused to renew your sign-in (${r.error}); an administrator should check Gatehouse's Keycloak client.`,
          };
        // The session ended or the user was disabled: the token will never work again.
        await tx.idpToken.delete({ where: { userId } });
        return {
          kind: "ended",
          message: `Keycloak no longer renews your sign-in (invalid_grant${r.description ? `: ${r.description}` : ""}). ${SIGN_IN_AGAIN}`,
        };
      }
      const token = { accessToken: r.tokens.access_token, refreshAt: refreshAt(r.tokens.expires_in) };
      // Stored in the same transaction, before the lock passes to the next replica; the refresh
      // token only when Keycloak rotated it (not its default: then the kept one stays valid).
      await tx.idpToken.update({
        where: { userId },
        data: {
          accessTokenEnc: encrypt(token.accessToken, aad(userId, "accessTokenEnc")),
          accessTokenUntil: new Date(token.refreshAt),
          ...(r.tokens.refresh_token ? { refreshTokenEnc: encrypt(r.tokens.refresh_token, aad(userId)) } : {}),
        },
      });
      return { kind: "token", token };
    },
    { maxWait: 30_000, timeout: 90_000 },
  );
  if (outcome.kind === "token") return outcome.token;
  if (outcome.kind === "ended") throw new SignInEndedError(outcome.message);
  throw new AppError("upstream", outcome.message);
}

/** Handed out until REFRESH_AHEAD_MS before expiry, or half its life for a short-lived token. */
function refreshAt(expiresInS: number | undefined, now = Date.now()): number {
  const lifetimeMs = (expiresInS ?? 60) * 1000;
  return now + lifetimeMs - Math.min(REFRESH_AHEAD_MS, lifetimeMs / 2);
}
