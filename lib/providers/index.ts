// Providers: the OAuth apps users may link (GitLab, GitHub, OIDC, OAuth 2). The client secret is
// write-only: nothing exported here returns it, except getProviderOAuth for lib/links' protocol work.
export { createProvider } from "@/lib/providers/create-provider";
export { updateProvider } from "@/lib/providers/update-provider";
export { deleteProvider } from "@/lib/providers/delete-provider";
export { getProvider } from "@/lib/providers/get-provider";
export { getProviderBySlug } from "@/lib/providers/get-provider-by-slug";
export { findProviders } from "@/lib/providers/find-providers";
export { redirectUriFor } from "@/lib/providers/redirect-uri";
export {
  providerInputSchema,
  defaultScopes,
  PROVIDER_KINDS,
  type ProviderInput,
  type ProviderKind,
  type ParsedProviderInput,
} from "@/lib/providers/provider-input-schema";
export type { PublicProvider, Actor } from "@/lib/providers/public-provider";
