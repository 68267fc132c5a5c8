// Flow "Link", second half (the callback): state, user and `iss` (RFC 9207) are checked before the
// code is exchanged; the external identity is read; the tokens are stored encrypted. Expected
// failures come back as a reason code for the page; nothing is stored on any of them.
import * as oauth from "oauth4webapi";
import { recordAudit } from "@/lib/audit/record-audit";
import { isAppError } from "@/lib/errors";
import { consumeLinkState } from "@/lib/links/consume-link-state";
import { linkFailureMessage, safeOAuthErrorCode, type LinkFailureReason } from "@/lib/links/link-failure";
import { decryptLinkToken, expiryFrom } from "@/lib/links/link-tokens";
import type { PublicLink } from "@/lib/links/public-link";
import { storeLink } from "@/lib/links/store-link";
import { log } from "@/lib/log";
import { getProviderOAuth, type ProviderOAuth } from "@/lib/providers/get-provider-oauth";
import { issParameterSupported } from "@/lib/providers/iss-parameter-supported";
import { readExternalIdentity } from "@/lib/providers/read-external-identity";
import { revokeTokens } from "@/lib/providers/revoke-tokens";

export type CompleteLinkResult =
  | { ok: true; link: PublicLink; returnTo: string | null }
  | { ok: false; reason: LinkFailureReason; providerError?: string; message: string };

type Failure = { reason: LinkFailureReason; providerError?: string; revoke?: { accessToken: string; refreshToken?: string } };

export async function completeLink(opts: { userId: string; providerSlug: string; params: URLSearchParams }): Promise<CompleteLinkResult> {
  const p = await getProviderOAuth({ slug: opts.providerSlug }).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") return undefined;
    throw e;
  });
  if (!p?.enabled) return fail(opts, opts.providerSlug, { reason: "provider_unavailable" });
  const outcome = await exchange(p, opts.userId, opts.params);
  if ("reason" in outcome) {
    // Tokens we obtained but will not keep must not stay alive at the provider.
    if (outcome.revoke) await revokeTokens(p, outcome.revoke);
    return fail(opts, p.displayName, outcome);
  }
  return outcome;
}

async function exchange(
  p: ProviderOAuth,
  userId: string,
  params: URLSearchParams,
): Promise<Failure | Extract<CompleteLinkResult, { ok: true }>> {
  const state = params.get("state");
  if (!state) return { reason: "state_missing" };
  const consumed = await consumeLinkState({ state, userId, providerId: p.id });
  if (!consumed.ok) return { reason: consumed.reason };

  // RFC 9207: an OIDC provider that advertises `iss` must send it. (When it is sent, oauth4webapi
  // compares it with the issuer whatever the provider advertised.)
  if (!params.has("iss") && p.kind === "oidc" && p.baseUrl) {
    const supported = await issParameterSupported(p.baseUrl);
    if (supported === undefined) return { reason: "issuer_unverified" };
    if (supported) return { reason: "issuer_missing" };
  }

  let callback: URLSearchParams;
  try {
    callback = oauth.validateAuthResponse(p.as, p.client, params, state);
  } catch (e) {
    if (e instanceof oauth.AuthorizationResponseError) return { reason: "provider_error", providerError: safeOAuthErrorCode(e.error) };
    return { reason: "issuer_mismatch" };
  }

  let tokens: oauth.TokenEndpointResponse;
  try {
    const res = await oauth.authorizationCodeGrantRequest(
      p.as,
      p.client,
      p.clientAuth,
      callback,
      p.redirectUri,
      consumed.codeVerifier,
      p.http(),
    );
    tokens = await oauth.processAuthorizationCodeResponse(p.as, p.client, res);
  } catch (e) {
    if (e instanceof oauth.ResponseBodyError && e.error === "invalid_grant") return { reason: "code_rejected" };
    log.warn({ provider: p.slug, err: (e as Error).message }, "link: code exchange failed");
    return { reason: "exchange_failed" };
  }
  const issued = { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };

  let identity;
  try {
    identity = await readExternalIdentity(
      p,
      tokens.access_token,
      oauth.getValidatedIdTokenClaims(tokens) as Record<string, unknown> | undefined,
    );
  } catch (e) {
    log.warn({ provider: p.slug, err: (e as Error).message }, "link: reading the external identity failed");
    return { reason: "identity_failed", revoke: issued };
  }

  const stored = await storeLink({
    userId,
    providerId: p.id,
    providerSlug: p.slug,
    externalId: identity.externalId,
    externalName: identity.externalName,
    scopes: identity.scopes ?? tokens.scope?.split(" ").filter(Boolean) ?? p.scopes,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    expiresAt: expiryFrom(tokens.expires_in),
  });
  if (!stored.ok) return { reason: stored.reason, revoke: issued };
  if (stored.replaced) await revokeReplaced(p, stored.replaced);
  return { ok: true, link: stored.link, returnTo: consumed.returnTo };
}

/** A re-link leaves the previous grant behind at the provider: revoke it, best effort. */
async function revokeReplaced(p: ProviderOAuth, old: { id: string; accessTokenEnc: string | null; refreshTokenEnc: string | null }) {
  try {
    const accessToken = old.accessTokenEnc ? decryptLinkToken(old.id, "accessTokenEnc", old.accessTokenEnc) : undefined;
    const refreshToken = old.refreshTokenEnc ? decryptLinkToken(old.id, "refreshTokenEnc", old.refreshTokenEnc) : undefined;
    await revokeTokens(p, { accessToken, refreshToken });
  } catch {
    // Unreadable old tokens cannot be revoked; the new link is what matters.
  }
}

function fail(opts: { userId: string; providerSlug: string }, providerName: string, f: Failure): CompleteLinkResult {
  const message = linkFailureMessage(f.reason, providerName, f.providerError);
  recordAudit({ action: "link", outcome: "failure", userId: opts.userId, provider: opts.providerSlug, detail: { reason: message } });
  return { ok: false, reason: f.reason, providerError: f.providerError, message };
}
