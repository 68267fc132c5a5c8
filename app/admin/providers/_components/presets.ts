import type { ProviderKind } from "@/lib/providers";

/** What the console offers per provider kind; the endpoints themselves come from lib/providers. */
export const PRESETS: Record<ProviderKind, { label: string; baseUrl?: { label: string; hint: string; optional?: boolean } }> = {
  gitlab: { label: "GitLab (self-managed or gitlab.com)", baseUrl: { label: "GitLab URL", hint: "e.g. https://gitlab.example.com" } },
  github: { label: "GitHub", baseUrl: { label: "GitHub Enterprise Server URL", hint: "Empty for github.com.", optional: true } },
  oidc: {
    label: "Generic OpenID Connect",
    baseUrl: { label: "Issuer", hint: "Endpoints are read from <issuer>/.well-known/openid-configuration." },
  },
  oauth2: {
    label: "Generic OAuth 2",
    baseUrl: { label: "Issuer (optional)", hint: "Enables the RFC 9207 iss check when the server sends it.", optional: true },
  },
};
