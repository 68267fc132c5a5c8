// The one schema for a backend, used by the console's forms, the REST API and the lib functions.
// Outgoing auth is a discriminated union on `mode`, so each mode's fields are required exactly when
// that mode is chosen. Secrets are write-only: the patch schema lets them be omitted (= keep).
import { z } from "zod";

export const AUTH_MODES = ["none", "static_header", "token_exchange", "linked_account", "client_credentials"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
/** Modes whose configuration includes one secret (stored encrypted in `secretEnc`). */
export const SECRET_FIELD = { static_header: "value", token_exchange: "clientSecret", client_credentials: "clientSecret" } as const;
export type SecretMode = keyof typeof SECRET_FIELD;
export const needsSecret = (mode: AuthMode): mode is SecretMode => mode in SECRET_FIELD;

export const TRANSPORTS = ["streamable_http", "sse"] as const;
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

const required = (what = "text") => ({
  error: (i: { input: unknown }) => (i.input === undefined || i.input === null ? "is required" : `must be ${what}`),
});
const text = (max: number) => z.string(required()).trim().min(1, "is required").max(max, `must be at most ${max} characters`);
export const httpUrl = z.url({ ...required("an http:// or https:// URL"), protocol: /^https?$/ });
const names = z.array(text(128), required("a list")).max(500, "must list at most 500 names");

// RFC 9110 token characters; hop-by-hop and MCP transport headers are the gateway's own.
const RESERVED_HEADERS = [
  "host",
  "connection",
  "content-length",
  "content-type",
  "transfer-encoding",
  "mcp-session-id",
  "mcp-protocol-version",
  "accept",
];
const headerName = text(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be a header name such as X-Api-Key")
  .refine((h) => !RESERVED_HEADERS.includes(h.toLowerCase()), "is set by the gateway itself; choose another header");
const secret = z
  .string(required())
  .min(1, "is required")
  .max(4096, "must be at most 4096 characters")
  .refine((s) => !/[\r\n\0]/.test(s), "must not contain line breaks");
const scope = text(1000);

type ObjectFactory = typeof z.object | typeof z.strictObject;
const linkedAccountById = { providerId: z.uuid(required("a provider id")) };

/**
 * The outgoing auth union. The REST API stores secrets and names the provider by id; a configuration
 * file (lib/config-as-code) passes secret references, the provider's slug and strict objects instead.
 */
export function authSchema<S extends z.ZodType, L extends z.ZodRawShape = typeof linkedAccountById>(
  secretValue: S,
  options: { linkedAccount?: L; object?: ObjectFactory } = {},
) {
  const object = options.object ?? z.object;
  return z.discriminatedUnion(
    "mode",
    [
      object({ mode: z.literal("none") }),
      object({ mode: z.literal("static_header"), headerName, value: secretValue }),
      object({
        mode: z.literal("token_exchange"),
        /** Defaults to the sign-in issuer's token endpoint. */
        tokenEndpoint: httpUrl.optional(),
        clientId: text(200),
        clientSecret: secretValue,
        audience: text(200),
        scope: scope.optional(),
      }),
      object({ mode: z.literal("linked_account"), ...((options.linkedAccount ?? linkedAccountById) as L) }),
      object({
        mode: z.literal("client_credentials"),
        tokenEndpoint: httpUrl,
        clientId: text(200),
        clientSecret: secretValue,
        scope: scope.optional(),
        audience: text(200).optional(),
      }),
    ],
    { error: (i) => (i.input === undefined ? "is required" : `must be one of: ${AUTH_MODES.join(", ")}`) },
  );
}

export const backendAuthSchema = authSchema(secret);
export const backendAuthPatchSchema = authSchema(secret.optional());

const fields = {
  slug: z.string(required()).regex(SLUG_PATTERN, "must be 2–40 characters: lower-case letters, digits and -, starting with a letter"),
  displayName: text(100),
  url: httpUrl,
  transport: z.enum(TRANSPORTS, { error: `must be one of: ${TRANSPORTS.join(", ")}` }),
  timeoutMs: z
    .number(required("a number"))
    .int("must be a whole number")
    .min(1000, "must be at least 1000 ms")
    .max(300_000, "must be at most 300000 ms"),
  /** Null means `<slug>_`. */
  toolPrefix: z
    .string(required())
    .regex(/^[A-Za-z0-9_.-]{0,40}$/, "must be up to 40 letters, digits, _ . or -")
    .nullable(),
  toolAllow: names,
  toolDeny: names,
  visibleToRoles: names,
  visibleToGroups: names,
  inboundIssuer: httpUrl.nullable(),
  inboundAudience: text(200).nullable(),
  auditArguments: z.boolean(required("true or false")),
  enabled: z.boolean(required("true or false")),
};

/** An extra trusted issuer is only safe with an audience to check. */
export function inboundIssues(b: { inboundIssuer?: string | null; inboundAudience?: string | null }): Record<string, string[]> | undefined {
  if (b.inboundIssuer && !b.inboundAudience) return { inboundAudience: ["is required when an inbound issuer is set"] };
  if (!b.inboundIssuer && b.inboundAudience) return { inboundIssuer: ["is required when an inbound audience is set"] };
  return undefined;
}

/** The fields of a new backend with their defaults, without `auth` (shared with configuration files). */
export const backendInputFields = {
  ...fields,
  transport: fields.transport.default("streamable_http"),
  timeoutMs: fields.timeoutMs.default(30_000),
  toolPrefix: fields.toolPrefix.default(null),
  toolAllow: names.default([]),
  toolDeny: names.default([]),
  visibleToRoles: names.default([]),
  visibleToGroups: names.default([]),
  inboundIssuer: fields.inboundIssuer.default(null),
  inboundAudience: fields.inboundAudience.default(null),
  auditArguments: fields.auditArguments.default(false),
  enabled: fields.enabled.default(true),
};

/** Adds an issue per field when an extra issuer comes without its audience or the reverse. */
export function refineInbound(b: { inboundIssuer?: string | null; inboundAudience?: string | null }, ctx: z.RefinementCtx) {
  for (const [path, messages] of Object.entries(inboundIssues(b) ?? {})) {
    for (const message of messages) ctx.addIssue({ code: "custom", path: [path], message });
  }
}

export const backendInputSchema = z.object({ ...backendInputFields, auth: backendAuthSchema }).superRefine(refineInbound);

/** Every field optional; an `auth` object replaces the mode's configuration, its secret omitted = keep. */
export const backendPatchSchema = z.object({
  slug: fields.slug.optional(),
  displayName: fields.displayName.optional(),
  url: fields.url.optional(),
  transport: fields.transport.optional(),
  timeoutMs: fields.timeoutMs.optional(),
  toolPrefix: fields.toolPrefix.optional(),
  toolAllow: fields.toolAllow.optional(),
  toolDeny: fields.toolDeny.optional(),
  visibleToRoles: fields.visibleToRoles.optional(),
  visibleToGroups: fields.visibleToGroups.optional(),
  inboundIssuer: fields.inboundIssuer.optional(),
  inboundAudience: fields.inboundAudience.optional(),
  auditArguments: fields.auditArguments.optional(),
  enabled: fields.enabled.optional(),
  auth: backendAuthPatchSchema.optional(),
});

export type BackendInput = z.input<typeof backendInputSchema>;
export type BackendValues = z.output<typeof backendInputSchema>;
export type BackendPatch = z.input<typeof backendPatchSchema>;
export type BackendAuth = z.output<typeof backendAuthSchema>;
export type BackendAuthPatch = z.output<typeof backendAuthPatchSchema>;

/** Who made a change: an admin, or `{ userId: null }` for the system (seeding). */
export interface Actor {
  userId: string | null;
}
