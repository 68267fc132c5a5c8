// Everything the link flow and the token broker need to speak OAuth to one provider, in
// oauth4webapi's terms, with the client secret decrypted. Stays inside lib/.
import * as oauth from "oauth4webapi";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { safeFetch } from "@/lib/net/safe-fetch";
import type { ProviderKind } from "@/lib/providers/provider-input-schema";
import { publicProviderSelect } from "@/lib/providers/public-provider";
import { redirectUriFor } from "@/lib/providers/redirect-uri";

export interface ProviderOAuth {
  id: string;
  slug: string;
  kind: ProviderKind;
  displayName: string;
  baseUrl: string | null;
  scopes: string[];
  enabled: boolean;
  userinfoEndpoint: string | null;
  revocationEndpoint: string | null;
  clientId: string;
  /** Only for GitHub's revoke call, which authenticates with basic auth outside oauth4webapi. */
  clientSecret: string;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  redirectUri: string;
  /** Options for each oauth4webapi request: a timeout, and the fetch that applies the outbound policy. */
  http(): { signal: AbortSignal; [oauth.allowInsecureRequests]: boolean; [oauth.customFetch]: typeof safeFetch };
}

const REQUEST_TIMEOUT_MS = 10_000;
const GITHUB_ISSUER = "https://github.com";

/** The columns a ProviderOAuth is built from (also kept by the revocation outbox once the row is gone). */
export interface ProviderOAuthRow {
  id: string;
  slug: string;
  kind: string;
  displayName: string;
  baseUrl: string | null;
  scopes: string[];
  enabled: boolean;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string | null;
  revocationEndpoint: string | null;
  clientId: string;
  clientSecretEnc: string | null;
}

export async function getProviderOAuth(where: { id: string } | { slug: string }): Promise<ProviderOAuth> {
  const p = await getDb().provider.findUnique({
    where,
    // The public fields plus the one place the client secret is read.
    select: { ...publicProviderSelect, clientSecretEnc: true },
  });
  if (!p) throw new AppError("not_found", "There is no such provider.");
  return toProviderOAuth(p);
}

export function toProviderOAuth(p: ProviderOAuthRow): ProviderOAuth {
  if (!p.clientSecretEnc) throw new AppError("unavailable", `The provider ${p.displayName} has no client secret configured.`);
  let clientSecret: string;
  try {
    clientSecret = getKeyring().decrypt(p.clientSecretEnc, { table: "Provider", id: p.id, field: "clientSecretEnc" });
  } catch (e) {
    throw new AppError(
      "unavailable",
      `The client secret of ${p.displayName} cannot be decrypted (${(e as Error).message}); an admin must set it again.`,
    );
  }
  const kind = p.kind as ProviderKind;
  const endpoints = [p.authorizationEndpoint, p.tokenEndpoint, p.revocationEndpoint, p.userinfoEndpoint].filter((u): u is string =>
    Boolean(u),
  );
  // oauth4webapi's own https rule yields to the outbound policy, which safeFetch applies to every
  // request (plain http only to loopback in development, or to a host an admin allowed).
  const insecure = endpoints.some((u) => u.startsWith("http:"));
  const as: oauth.AuthorizationServer = {
    // Compared verbatim with the authorization response's `iss` when the provider sends one (RFC 9207).
    issuer: kind === "github" ? (p.baseUrl ?? GITHUB_ISSUER) : (p.baseUrl ?? new URL(p.authorizationEndpoint).origin),
    authorization_endpoint: p.authorizationEndpoint,
    token_endpoint: p.tokenEndpoint,
    revocation_endpoint: kind === "github" ? undefined : (p.revocationEndpoint ?? undefined),
  };
  return {
    id: p.id,
    slug: p.slug,
    kind,
    displayName: p.displayName,
    baseUrl: p.baseUrl,
    scopes: p.scopes,
    enabled: p.enabled,
    userinfoEndpoint: p.userinfoEndpoint,
    revocationEndpoint: p.revocationEndpoint,
    clientId: p.clientId,
    clientSecret,
    as,
    client: { client_id: p.clientId },
    // GitHub documents the secret in the body; the others take HTTP basic (RFC 6749's default).
    clientAuth: kind === "github" ? oauth.ClientSecretPost(clientSecret) : oauth.ClientSecretBasic(clientSecret),
    redirectUri: redirectUriFor(p.slug),
    http: () => ({
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      [oauth.allowInsecureRequests]: insecure,
      [oauth.customFetch]: safeFetch,
    }),
  };
}
