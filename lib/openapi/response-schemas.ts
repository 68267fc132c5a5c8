// The shapes the admin REST API answers with, for the OpenAPI document. Backends use the schema
// their lib functions are typed by; the others mirror their lib types (checked in the tests).
import { z } from "zod";
import { PROVIDER_KINDS } from "@/lib/providers";

const date = z.iso.datetime();

export const errorSchema = z.object({
  error: z.object({
    code: z.enum([
      "bad_request",
      "validation",
      "unauthorized",
      "forbidden",
      "not_found",
      "conflict",
      "upstream",
      "unavailable",
      "internal",
    ]),
    message: z.string(),
    fields: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe('field path → messages, e.g. { "auth.clientSecret": ["is required"] }'),
    requestId: z.string(),
  }),
});

export const connectionTestSchema = z.object({
  ok: z.boolean().nullable().describe("true: tools listed; false: failed; null: reachable, but no credential could be had for the caller"),
  message: z.string().describe("what was found, or the exact error"),
  tools: z.array(z.object({ name: z.string(), description: z.string().optional() })),
  toolCount: z.number().int().nullable(),
  authenticated: z.boolean(),
  latencyMs: z.number().int(),
  checkedAt: date,
});

export const providerSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  kind: z.enum(PROVIDER_KINDS),
  displayName: z.string(),
  baseUrl: z.string().nullable(),
  authorizationEndpoint: z.string(),
  tokenEndpoint: z.string(),
  revocationEndpoint: z.string().nullable(),
  userinfoEndpoint: z.string().nullable(),
  clientId: z.string(),
  clientSecretSet: z.boolean().describe("the secret itself is never returned"),
  clientSecretSetAt: date.nullable(),
  scopes: z.array(z.string()),
  enabled: z.boolean(),
  redirectUri: z.string().describe("register this exact redirect URI at the provider"),
  createdAt: date,
  updatedAt: date,
});

export const userSchema = z.object({
  id: z.string(),
  issuer: z
    .string()
    .describe("who vouches for this user: the sign-in issuer, or a backend's extra trusted issuer; users are unique per (issuer, sub)"),
  username: z.string().nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  roles: z.array(z.string()),
  groups: z.array(z.string()),
  createdAt: date,
  lastSeenAt: date,
  lastSignInAt: date.nullable(),
  linkedAccounts: z.array(
    z.object({
      providerId: z.string(),
      provider: z.object({ slug: z.string(), displayName: z.string() }),
      externalName: z.string(),
      scopes: z.array(z.string()),
      status: z.enum(["active", "needs_relink"]),
      statusReason: z.string().nullable(),
      linkedAt: date,
      lastUsedAt: date.nullable(),
    }),
  ),
});

export const auditEventSchema = z.object({
  id: z.string(),
  at: date,
  action: z.string().describe("e.g. tool_call, link, unlink, refresh, sign_in, admin.backend.update"),
  outcome: z.enum(["success", "failure"]),
  clientId: z.string().nullable(),
  clientName: z.string().nullable().describe("the client's name when the gateway knew it (a personal access token's name)"),
  backend: z.string().nullable(),
  provider: z.string().nullable(),
  tool: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  detail: z.unknown().describe("a summary for people; never a token or secret"),
  user: z.object({ id: z.string(), issuer: z.string(), username: z.string().nullable(), email: z.string().nullable() }).nullable(),
});

export const unlinkResultSchema = z.object({
  revoked: z.boolean().describe("whether the provider confirmed the revocation; the local link is deleted either way"),
  revokeError: z.string().optional(),
});
