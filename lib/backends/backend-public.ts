// What the console and the REST API show of a backend: everything but the secret, which appears
// only as "set on <date>".
import { z } from "zod";
import { readStoredAuth } from "@/lib/backends/auth-config";
import { AUTH_MODES, TRANSPORTS } from "@/lib/backends/backend-schema";
import type { Prisma } from "@/lib/db/generated/client";

export const backendSelect = {
  id: true,
  slug: true,
  displayName: true,
  url: true,
  transport: true,
  enabled: true,
  timeoutMs: true,
  toolPrefix: true,
  toolAllow: true,
  toolDeny: true,
  visibleToRoles: true,
  visibleToGroups: true,
  authMode: true,
  authConfig: true,
  secretSetAt: true,
  providerId: true,
  provider: { select: { slug: true, displayName: true } },
  inboundIssuer: true,
  inboundAudience: true,
  auditArguments: true,
  managedBy: true,
  lastCheckAt: true,
  lastCheckOk: true,
  lastCheckMessage: true,
  toolCount: true,
  protocolEra: true,
  protocolVersion: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.BackendSelect;

export type BackendRow = Prisma.BackendGetPayload<{ select: typeof backendSelect }>;

const date = z.iso.datetime();
export const publicBackendSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  displayName: z.string(),
  url: z.string(),
  transport: z.enum(TRANSPORTS),
  enabled: z.boolean(),
  timeoutMs: z.number().int(),
  toolPrefix: z.string().nullable().describe("null means `<slug>_`"),
  effectiveToolPrefix: z.string(),
  toolAllow: z.array(z.string()),
  toolDeny: z.array(z.string()),
  visibleToRoles: z.array(z.string()),
  visibleToGroups: z.array(z.string()),
  auth: z.object({
    mode: z.enum(AUTH_MODES),
    headerName: z.string().optional(),
    tokenEndpoint: z.string().optional(),
    clientId: z.string().optional(),
    audience: z.string().optional(),
    scope: z.string().optional(),
    providerId: z.string().optional(),
    provider: z.object({ slug: z.string(), displayName: z.string() }).optional(),
    secretSet: z.boolean().describe("whether the mode's secret is stored; its value is never returned"),
    secretSetAt: date.nullable(),
  }),
  inboundIssuer: z.string().nullable(),
  inboundAudience: z.string().nullable(),
  auditArguments: z.boolean(),
  managedBy: z.string().nullable().describe('"file" when a configuration file (`gatehouse apply`) manages this backend'),
  lastCheck: z.object({ at: date, ok: z.boolean().nullable(), message: z.string().nullable() }).nullable(),
  toolCount: z.number().int().nullable(),
  era: z
    .object({ era: z.enum(["2026-07-28", "2025-11-25"]), protocolVersion: z.string() })
    .nullable()
    .describe("the MCP era the backend speaks, found when Gatehouse last set up a session with it; null: not yet known"),
  createdAt: date,
  updatedAt: date,
});
export type PublicBackend = z.output<typeof publicBackendSchema>;

export function toPublicBackend(row: BackendRow): PublicBackend {
  const stored = readStoredAuth(row);
  return {
    id: row.id,
    slug: row.slug,
    displayName: row.displayName,
    url: row.url,
    transport: row.transport as PublicBackend["transport"],
    enabled: row.enabled,
    timeoutMs: row.timeoutMs,
    toolPrefix: row.toolPrefix,
    effectiveToolPrefix: row.toolPrefix ?? `${row.slug}_`,
    toolAllow: row.toolAllow,
    toolDeny: row.toolDeny,
    visibleToRoles: row.visibleToRoles,
    visibleToGroups: row.visibleToGroups,
    auth: {
      ...stored,
      ...(row.provider ? { provider: { slug: row.provider.slug, displayName: row.provider.displayName } } : {}),
      secretSet: row.secretSetAt !== null,
      secretSetAt: row.secretSetAt?.toISOString() ?? null,
    },
    inboundIssuer: row.inboundIssuer,
    inboundAudience: row.inboundAudience,
    auditArguments: row.auditArguments,
    managedBy: row.managedBy,
    lastCheck: row.lastCheckAt ? { at: row.lastCheckAt.toISOString(), ok: row.lastCheckOk, message: row.lastCheckMessage } : null,
    toolCount: row.toolCount,
    era:
      row.protocolEra === "2026-07-28" || row.protocolEra === "2025-11-25"
        ? { era: row.protocolEra, protocolVersion: row.protocolVersion ?? row.protocolEra }
        : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
