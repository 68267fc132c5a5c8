// Presets: the endpoints each kind implies. GitLab and GitHub have fixed paths under their base URL;
// an OIDC provider publishes its own in a discovery document; OAuth 2 takes them as given.
import * as oauth from "oauth4webapi";
import { AppError } from "@/lib/errors";
import { checkOutboundUrl, isOutboundRefused } from "@/lib/net/outbound-policy";
import { safeFetch, type SafeFetch } from "@/lib/net/safe-fetch";
import { isAllowedEndpoint } from "@/lib/providers/endpoint-security";
import type { ParsedProviderInput } from "@/lib/providers/provider-input-schema";

export interface ProviderEndpoints {
  baseUrl: string | null;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  userinfoEndpoint: string | null;
}

const GITHUB = "https://github.com";

/** GitHub's REST API root: api.github.com for github.com, <base>/api/v3 for GitHub Enterprise Server. */
export function githubApiBase(baseUrl: string | null): string {
  return !baseUrl || baseUrl === GITHUB ? "https://api.github.com" : `${baseUrl}/api/v3`;
}

export async function resolveEndpoints(input: ParsedProviderInput, fetchImpl: SafeFetch = safeFetch): Promise<ProviderEndpoints> {
  switch (input.kind) {
    case "gitlab":
      return {
        baseUrl: input.baseUrl,
        authorizationEndpoint: `${input.baseUrl}/oauth/authorize`,
        tokenEndpoint: `${input.baseUrl}/oauth/token`,
        revocationEndpoint: `${input.baseUrl}/oauth/revoke`,
        // Works with an `mcp`-only token; /api/v4/user is read too when read_user or api was granted.
        userinfoEndpoint: `${input.baseUrl}/oauth/token/info`,
      };
    case "github": {
      const base = input.baseUrl ?? GITHUB;
      const api = githubApiBase(input.baseUrl ?? null);
      return {
        baseUrl: input.baseUrl ?? null,
        authorizationEndpoint: `${base}/login/oauth/authorize`,
        tokenEndpoint: `${base}/login/oauth/access_token`,
        // GitHub's own revoke: DELETE with basic auth; {client_id} is filled in at call time.
        revocationEndpoint: `${api}/applications/{client_id}/grant`,
        userinfoEndpoint: `${api}/user`,
      };
    }
    case "oidc":
      return discover(input.baseUrl, fetchImpl);
    case "oauth2":
      return {
        baseUrl: input.baseUrl ?? null,
        authorizationEndpoint: input.authorizationEndpoint,
        tokenEndpoint: input.tokenEndpoint,
        revocationEndpoint: input.revocationEndpoint ?? null,
        userinfoEndpoint: input.userinfoEndpoint,
      };
  }
}

async function discover(issuer: string, fetchImpl: SafeFetch): Promise<ProviderEndpoints> {
  const issuerUrl = new URL(issuer);
  let as: oauth.AuthorizationServer;
  try {
    const res = await oauth.discoveryRequest(issuerUrl, {
      algorithm: "oidc",
      // The outbound policy decides where plain http may go (loopback in development).
      [oauth.allowInsecureRequests]: issuerUrl.protocol === "http:",
      [oauth.customFetch]: fetchImpl,
      signal: AbortSignal.timeout(10_000),
    });
    as = await oauth.processDiscoveryResponse(issuerUrl, res);
  } catch (e) {
    throw new AppError("validation", `OIDC discovery at ${issuer} failed: ${(e as Error).message}`, {
      // A refusal names the address and the setting; anything else is most likely a wrong URL.
      baseUrl: [isOutboundRefused(e) ? e.message : "discovery failed: is this the issuer URL?"],
    });
  }
  const { authorization_endpoint, token_endpoint, revocation_endpoint, userinfo_endpoint } = as;
  if (!authorization_endpoint || !token_endpoint) {
    throw new AppError("validation", `The discovery document of ${issuer} names no authorization or token endpoint.`, {
      baseUrl: ["incomplete discovery document"],
    });
  }
  // The authorization endpoint is only ever opened by the user's browser; the others Gatehouse calls itself.
  for (const url of [token_endpoint, revocation_endpoint, userinfo_endpoint]) {
    const d = url ? checkOutboundUrl(url) : { ok: true as const };
    if (!d.ok)
      throw new AppError("validation", `The discovery document names an endpoint Gatehouse will not call: ${d.reason}`, {
        baseUrl: [d.reason],
      });
  }
  if (!isAllowedEndpoint(authorization_endpoint)) {
    throw new AppError("validation", `The discovery document names a non-https authorization endpoint: ${authorization_endpoint}`, {
      baseUrl: ["insecure endpoint"],
    });
  }
  return {
    // Exactly as published: the authorization response's `iss` is compared with it verbatim.
    baseUrl: as.issuer,
    authorizationEndpoint: authorization_endpoint,
    tokenEndpoint: token_endpoint,
    revocationEndpoint: revocation_endpoint ?? null,
    userinfoEndpoint: userinfo_endpoint ?? null,
  };
}
