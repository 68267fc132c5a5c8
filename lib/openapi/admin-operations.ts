// Every admin REST operation, in one table the OpenAPI document is built from. A test compares it
// with the route files under app/api/admin, so a route without an entry here fails.
import { z } from "zod";
import { auditFilterSchema } from "@/lib/audit/find-audit-events";
import { publicBackendSchema } from "@/lib/backends/backend-public";
import { backendInputSchema, backendPatchSchema } from "@/lib/backends/backend-schema";
import { clientAccessResultSchema } from "@/lib/oauth-server/admin-client-access";
import { adminClientSchema } from "@/lib/oauth-server/admin-clients";
import { preregisterClientSchema, preregisteredClientSchema } from "@/lib/oauth-server/preregister-client";
import { auditEventSchema, connectionTestSchema, providerSchema, unlinkResultSchema, userSchema } from "@/lib/openapi/response-schemas";
import { personalAccessTokenSchema } from "@/lib/personal-access-tokens/find-personal-access-tokens";
import { providerInputSchema } from "@/lib/providers";
import { userFilterSchema } from "@/lib/users/find-users";

export type Method = "get" | "post" | "patch" | "delete";

export interface AdminOperation {
  method: Method;
  path: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success status and its body (undefined: no body). */
  success: { status: number; body?: z.ZodType; contentType?: string };
  /** Error statuses beyond 401 and 403, which every operation has. */
  errors: number[];
}

const auditQuery = auditFilterSchema.omit({ userId: true }).extend({ format: z.enum(["json", "csv"]).optional() });
const list = (key: string, item: z.ZodType) => z.object({ [key]: z.array(item) });
const page = (key: string, item: z.ZodType) =>
  z.object({ [key]: z.array(item), nextCursor: z.string().optional().describe("pass as `cursor` for the next page") });

export const adminOperations: AdminOperation[] = [
  {
    method: "get",
    path: "/api/admin/backends",
    summary: "List backends",
    success: { status: 200, body: list("backends", publicBackendSchema) },
    errors: [],
  },
  {
    method: "post",
    path: "/api/admin/backends",
    summary: "Create a backend",
    body: backendInputSchema,
    success: { status: 201, body: publicBackendSchema },
    errors: [400, 409, 422],
  },
  {
    method: "get",
    path: "/api/admin/backends/{id}",
    summary: "Read a backend",
    success: { status: 200, body: publicBackendSchema },
    errors: [404],
  },
  {
    method: "patch",
    path: "/api/admin/backends/{id}",
    summary: "Edit a backend: omitted fields and an omitted secret are kept; a new mode that needs a secret needs it now",
    body: backendPatchSchema,
    success: { status: 200, body: publicBackendSchema },
    errors: [400, 404, 409, 422],
  },
  { method: "delete", path: "/api/admin/backends/{id}", summary: "Delete a backend", success: { status: 204 }, errors: [404] },
  {
    method: "post",
    path: "/api/admin/backends/{id}/test",
    summary: "Test connection: connect as MCP and list the tools (a Bearer caller's own token is used for token exchange)",
    success: { status: 200, body: connectionTestSchema },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/admin/backends/{id}/enable",
    summary: "Enable a backend",
    success: { status: 200, body: publicBackendSchema },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/admin/backends/{id}/disable",
    summary: "Disable a backend",
    success: { status: 200, body: publicBackendSchema },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/admin/providers",
    summary: "List providers",
    success: { status: 200, body: list("providers", providerSchema) },
    errors: [],
  },
  {
    method: "post",
    path: "/api/admin/providers",
    summary: "Create a provider from a preset (kind gitlab, github, oidc or oauth2)",
    body: providerInputSchema,
    success: { status: 201, body: providerSchema },
    errors: [400, 409, 422],
  },
  {
    method: "get",
    path: "/api/admin/providers/{id}",
    summary: "Read a provider",
    success: { status: 200, body: providerSchema },
    errors: [404],
  },
  {
    method: "patch",
    path: "/api/admin/providers/{id}",
    summary: "Edit a provider (the body's fields over the stored ones; an omitted secret is kept; `enabled: false` disables it)",
    body: z.object({}).catchall(z.unknown()).describe("any fields of the provider input"),
    success: { status: 200, body: providerSchema },
    errors: [400, 404, 409, 422],
  },
  {
    method: "delete",
    path: "/api/admin/providers/{id}",
    summary: "Delete a provider (409 naming the backends that still use it)",
    success: { status: 204 },
    errors: [404, 409],
  },
  {
    method: "get",
    path: "/api/admin/users",
    summary: "List users with roles, last sign-in and linked accounts",
    query: userFilterSchema,
    success: { status: 200, body: page("users", userSchema) },
    errors: [400],
  },
  {
    method: "delete",
    path: "/api/admin/users/{id}/links/{providerId}",
    summary: "Revoke a user's linked account: revoked at the provider when it can be, deleted here in any case",
    success: { status: 200, body: unlinkResultSchema },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/admin/clients",
    summary: "List MCP clients (dynamic registration and metadata documents) with their connected users",
    success: { status: 200, body: list("clients", adminClientSchema) },
    errors: [],
  },
  {
    method: "post",
    path: "/api/admin/clients",
    summary: "Pre-register a public MCP client (PKCE, no secret) with a fixed client id and redirect URIs",
    body: preregisterClientSchema,
    success: { status: 201, body: preregisteredClientSchema },
    errors: [400, 409, 422],
  },
  {
    method: "post",
    path: "/api/admin/clients/{id}/disable",
    summary:
      "Disable an MCP client: refused at authorization and refresh, its grants revoked (tokens refused on every replica within OAUTH_REVOCATION_POLL_MS)",
    success: { status: 200, body: clientAccessResultSchema },
    errors: [404],
  },
  {
    method: "post",
    path: "/api/admin/clients/{id}/enable",
    summary: "Enable a disabled MCP client for new authorizations",
    success: { status: 200, body: clientAccessResultSchema },
    errors: [404],
  },
  {
    method: "delete",
    path: "/api/admin/clients/{id}",
    summary: "Delete an MCP client's registration and revoke its grants (a metadata document URL client stays disabled if it was)",
    success: { status: 200, body: clientAccessResultSchema },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/admin/tokens",
    summary:
      "Every user's personal access tokens (name, endpoint, last four characters, dates; never the token), and whether the feature is on",
    success: { status: 200, body: z.object({ enabled: z.boolean(), tokens: z.array(personalAccessTokenSchema) }) },
    errors: [],
  },
  {
    method: "delete",
    path: "/api/admin/tokens/{id}",
    summary: "Revoke a personal access token (refused on every replica within OAUTH_REVOCATION_POLL_MS)",
    success: { status: 200, body: z.object({ id: z.string(), revoked: z.literal(true) }) },
    errors: [404],
  },
  {
    method: "get",
    path: "/api/admin/audit",
    summary: "Audit events, newest first (`format=csv` for CSV)",
    query: auditQuery,
    success: { status: 200, body: page("events", auditEventSchema) },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/admin/audit.csv",
    summary: "Audit events as a CSV download (same filters)",
    query: auditQuery.omit({ cursor: true, take: true, format: true }),
    success: { status: 200, contentType: "text/csv" },
    errors: [400],
  },
  {
    method: "get",
    path: "/api/admin/openapi.json",
    summary: "This document",
    success: { status: 200, contentType: "application/json" },
    errors: [],
  },
];
