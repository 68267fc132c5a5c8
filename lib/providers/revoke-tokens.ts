// Revocation at the provider: RFC 7009 where the provider has it (GitLab /oauth/revoke, most OIDC
// servers), GitHub's own "delete an app authorization" otherwise. Never throws: the caller records
// and shows the outcome, and deletes its copy of the tokens either way.
import * as oauth from "oauth4webapi";
import { isOutboundRefused } from "@/lib/net/outbound-policy";
import { safeFetch } from "@/lib/net/safe-fetch";
import type { ProviderOAuth } from "@/lib/providers/get-provider-oauth";
import { githubApiBase } from "@/lib/providers/resolve-endpoints";

export type RevokeOutcome = { revoked: true } | { revoked: false; error: string };

export async function revokeTokens(p: ProviderOAuth, tokens: { accessToken?: string; refreshToken?: string }): Promise<RevokeOutcome> {
  if (!tokens.accessToken && !tokens.refreshToken)
    return { revoked: false, error: "No tokens were stored, so there was nothing to revoke." };
  try {
    if (p.kind === "github") return await revokeAtGitHub(p, tokens.accessToken);
    if (!p.as.revocation_endpoint) {
      return {
        revoked: false,
        error: `${p.displayName} has no revocation endpoint configured; revoke Gatehouse's access in your ${p.displayName} account settings.`,
      };
    }
    // The refresh token first: it is what keeps the grant alive (and with GitLab it takes the access token with it).
    const pairs = [
      [tokens.refreshToken, "refresh_token"],
      [tokens.accessToken, "access_token"],
    ] as const;
    for (const [token, hint] of pairs) {
      if (!token) continue;
      const res = await oauth.revocationRequest(p.as, p.client, p.clientAuth, token, {
        additionalParameters: { token_type_hint: hint },
        ...p.http(),
      });
      await oauth.processRevocationResponse(res);
    }
    return { revoked: true };
  } catch (e) {
    return { revoked: false, error: `${p.displayName} did not confirm the revocation: ${describe(e)}` };
  }
}

async function revokeAtGitHub(p: ProviderOAuth, accessToken: string | undefined): Promise<RevokeOutcome> {
  if (!accessToken) return { revoked: false, error: "GitHub revokes by access token, and none was stored." };
  const url = `${githubApiBase(p.baseUrl)}/applications/${encodeURIComponent(p.clientId)}/grant`;
  const res = await safeFetch(url, {
    method: "DELETE",
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Basic ${Buffer.from(`${p.clientId}:${p.clientSecret}`).toString("base64")}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ access_token: accessToken }),
    signal: AbortSignal.timeout(10_000),
  });
  // 404: the grant is already gone, which is what we wanted.
  if (res.status === 204 || res.status === 404) return { revoked: true };
  return { revoked: false, error: `GitHub did not confirm the revocation: HTTP ${res.status}` };
}

function describe(e: unknown): string {
  if (isOutboundRefused(e)) return e.message;
  if (e instanceof oauth.ResponseBodyError) return `${e.error}${e.error_description ? ` (${e.error_description})` : ""}`;
  if (e instanceof Error && e.name === "TimeoutError") return "it did not answer in time";
  if (e instanceof TypeError) return `it could not be reached (${(e.cause as Error | undefined)?.message ?? e.message})`;
  return e instanceof Error ? e.message : String(e);
}
