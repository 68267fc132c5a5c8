// The provider form and the admin REST body share this schema (discriminated by `kind`). The client
// secret is write-only: empty or absent means "keep the stored one" on update.
import { z } from "zod";
import { isAllowedEndpoint } from "@/lib/providers/endpoint-security";

export const PROVIDER_KINDS = ["gitlab", "github", "oidc", "oauth2"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const endpoint = z
  .string()
  .trim()
  .pipe(z.url({ message: "must be an absolute URL" }))
  .refine(isAllowedEndpoint, "must use https (plain http only on a loopback host such as 127.0.0.1, for local testing)");

/** A base URL or issuer: no trailing slash, so `${baseUrl}/oauth/token` and the `iss` check line up. */
const baseUrl = endpoint.transform((v) => v.replace(/\/+$/, ""));

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

// RFC 6749 §3.3 scope-token characters; a form sends "mcp read_user", the REST API an array.
const scopes = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v),
  z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "a scope has no spaces or quotes")).max(30),
);

const booleanish = z.preprocess((v) => {
  if (v === "on" || v === "true") return true;
  if (v === "off" || v === "false") return false;
  return v;
}, z.boolean());

const commonFields = {
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "lowercase letters, digits and dashes (at most 40), e.g. gitlab"),
  displayName: z.string().trim().min(1, "is required").max(80),
  clientId: z.string().trim().min(1, "is required").max(300),
  /** Omitted: the kind's default scopes (see defaultScopes). */
  scopes: optional(scopes),
  enabled: booleanish.default(true),
};

/**
 * The provider union. The form and REST API pass the client secret itself (write-only); a configuration
 * file (lib/config-as-code) passes a secret reference and strict objects instead.
 */
export function providerSchema<S extends z.ZodType>(clientSecret: S, object: typeof z.object | typeof z.strictObject = z.object) {
  const common = { ...commonFields, clientSecret };
  return z.discriminatedUnion("kind", [
    object({ ...common, kind: z.literal("gitlab"), /** Self-managed base URL, e.g. https://gitlab.example.com */ baseUrl }),
    object({
      ...common,
      kind: z.literal("github"),
      /** GitHub Enterprise Server URL; omitted for github.com */ baseUrl: optional(baseUrl),
    }),
    object({ ...common, kind: z.literal("oidc"), /** The issuer; endpoints come from its discovery document */ baseUrl }),
    object({
      ...common,
      kind: z.literal("oauth2"),
      /** The issuer, when the server has one: enables the RFC 9207 `iss` check. */
      baseUrl: optional(baseUrl),
      authorizationEndpoint: endpoint,
      tokenEndpoint: endpoint,
      revocationEndpoint: optional(endpoint),
      /** Returns the account as JSON with `id` or `sub`, and a name (`username`, `login`, `preferred_username`, `name` or `email`). */
      userinfoEndpoint: endpoint,
    }),
  ]);
}

export const providerInputSchema = providerSchema(optional(z.string().min(1).max(1000)));

export type ProviderInput = z.input<typeof providerInputSchema>;
export type ParsedProviderInput = z.output<typeof providerInputSchema>;

/** What each kind asks for when the admin names no scopes. GitLab's MCP endpoint requires `mcp`. */
export const defaultScopes: Record<ProviderKind, string[]> = {
  gitlab: ["mcp", "read_user"],
  github: ["read:user"],
  oidc: ["openid", "profile", "email"],
  oauth2: [],
};
