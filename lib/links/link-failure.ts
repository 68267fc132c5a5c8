// Why a link attempt failed, as a short code that can travel in a redirect (no provider-chosen text
// in our URLs), and the sentence the page shows for it.
export const LINK_FAILURES = [
  "signed_out",
  "state_missing",
  "state_unknown",
  "state_foreign",
  "state_expired",
  "provider_unavailable",
  "provider_error",
  "issuer_mismatch",
  "issuer_missing",
  "issuer_unverified",
  "code_rejected",
  "exchange_failed",
  "identity_failed",
  "account_taken",
] as const;
export type LinkFailureReason = (typeof LINK_FAILURES)[number];

export function isLinkFailureReason(v: unknown): v is LinkFailureReason {
  return typeof v === "string" && (LINK_FAILURES as readonly string[]).includes(v);
}

/** OAuth error codes are [a-z_]; anything else is not shown. */
export function safeOAuthErrorCode(v: unknown): string | undefined {
  return typeof v === "string" && /^[a-z_]{1,40}$/.test(v) ? v : undefined;
}

const PROVIDER_ERRORS: Record<string, string> = {
  access_denied: "you (or {p}) declined the authorization",
  invalid_scope: "{p} does not accept the scopes Gatehouse asks for; tell your administrator",
  unauthorized_client: "{p} does not allow Gatehouse's application to ask for this; tell your administrator",
  server_error: "{p} had an internal error",
  temporarily_unavailable: "{p} is temporarily unavailable",
};

export function linkFailureMessage(reason: LinkFailureReason, provider: string, providerError?: string): string {
  const again = "Start linking again.";
  switch (reason) {
    case "signed_out":
      return `Your Gatehouse session ended while you were at ${provider}. Sign in, then link again.`;
    case "state_missing":
      return `${provider} sent you back without the link request's state, so nothing was linked. ${again}`;
    case "state_unknown":
      return `This link request is unknown or was already used, so nothing was linked. ${again}`;
    case "state_foreign":
      return `This link request was started by a different Gatehouse user than the one signed in, so nothing was linked. Sign in as that user, or start linking again.`;
    case "state_expired":
      return `This link request expired: linking must finish within 10 minutes. ${again}`;
    case "provider_unavailable":
      return `${provider} is not available for linking.`;
    case "provider_error": {
      const why = providerError
        ? (PROVIDER_ERRORS[providerError] ?? `${provider} answered "${providerError}"`).replaceAll("{p}", provider)
        : `${provider} answered with an error`;
      return `${provider} did not authorize the link: ${why}. Nothing was stored.`;
    }
    case "issuer_mismatch":
      return `The answer did not come from the ${provider} Gatehouse sent you to (its issuer differs), so it was refused. ${again}`;
    case "issuer_missing":
      return `The answer did not say which server sent it, though ${provider} always says so (RFC 9207 \`iss\`), so it was refused and nothing was linked. ${again}`;
    case "issuer_unverified":
      return `The answer did not say which server sent it, and ${provider}'s discovery document, which says whether it must, could not be read; nothing was linked. Try again later; if it keeps failing, tell your administrator.`;
    case "code_rejected":
      return `${provider} refused the authorization code: it was already used or has expired. ${again}`;
    case "exchange_failed":
      return `Gatehouse could not obtain tokens from ${provider}. Try again later; if it keeps failing, tell your administrator.`;
    case "identity_failed":
      return `Gatehouse could not read which ${provider} account you authorized, so nothing was stored. Try again later.`;
    case "account_taken":
      return `This ${provider} account is already linked to another Gatehouse user, so it was not linked to you. Sign in to ${provider} as a different account, or ask that user to unlink it.`;
  }
}
