// Providers: the OAuth apps users may link (GitLab, GitHub, OIDC, OAuth 2). The client secret is
// write-only: nothing exported here returns it, except getProviderOAuth for lib/links' protocol work.
export { createProvider } from "./create-provider";
export { updateProvider } from "./update-provider";
export { deleteProvider } from "./delete-provider";
export { getProvider } from "./get-provider";
export { getProviderBySlug } from "./get-provider-by-slug";
export { findProviders } from "./find-providers";
export { redirectUriFor } from "./redirect-uri";
export { providerInputSchema, defaultScopes, PROVIDER_KINDS, type ProviderInput, type ProviderKind, type ParsedProviderInput } from "./provider-input-schema";
export type { PublicProvider, Actor } from "./public-provider";
