import { redirectUriFor, type PublicProvider } from "@/lib/providers";

/** A provider as the REST API answers it: with the redirect URI to register at the provider. */
export const withRedirectUri = (p: PublicProvider) => ({ ...p, redirectUri: redirectUriFor(p.slug) });

/** The stored provider as an input to updateProvider (which replaces all settings), for partial edits. */
export function providerAsInput(p: PublicProvider): Record<string, unknown> {
  const base = {
    kind: p.kind,
    slug: p.slug,
    displayName: p.displayName,
    clientId: p.clientId,
    scopes: p.scopes,
    enabled: p.enabled,
    baseUrl: p.baseUrl ?? undefined,
  };
  if (p.kind !== "oauth2") return base;
  return {
    ...base,
    authorizationEndpoint: p.authorizationEndpoint,
    tokenEndpoint: p.tokenEndpoint,
    revocationEndpoint: p.revocationEndpoint ?? undefined,
    userinfoEndpoint: p.userinfoEndpoint ?? undefined,
  };
}
