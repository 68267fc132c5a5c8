import { z } from "zod";
import { getDb } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";

const optionalText = (max: number) => z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(max).optional());
const optionalDate = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z.coerce.date({ error: "must be a date, e.g. 2026-01-31 or 2026-01-31T12:00:00Z" }).optional(),
);

export const auditFilterSchema = z.object({
  /** Scoping (the portal passes the signed-in user's id); combined with `user` when both are given. */
  userId: z.string().uuid().optional(),
  /** The admin console's filter: a user's id or username. */
  user: optionalText(200),
  backend: optionalText(100),
  action: optionalText(100),
  outcome: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["success", "failure"]).optional()),
  from: optionalDate,
  to: optionalDate,
  /** The `id` of the last event on the previous page. */
  cursor: z.string().uuid().optional(),
  take: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

const select = {
  id: true,
  at: true,
  action: true,
  outcome: true,
  clientId: true,
  clientName: true,
  backend: true,
  provider: true,
  tool: true,
  latencyMs: true,
  detail: true,
  user: { select: { id: true, issuer: true, username: true, email: true } },
} satisfies Prisma.AuditEventSelect;

export type AuditEventRow = Prisma.AuditEventGetPayload<{ select: typeof select }>;

/** Newest first, keyset-paginated. Portal callers always pass their own userId. */
export async function findAuditEvents(filter: AuditFilter): Promise<{ events: AuditEventRow[]; nextCursor?: string }> {
  const f = auditFilterSchema.parse(filter);
  const where: Prisma.AuditEventWhereInput = {
    userId: f.userId,
    ...(f.user ? { OR: [{ userId: f.user }, { user: { username: f.user } }] } : {}),
    backend: f.backend,
    action: f.action,
    outcome: f.outcome,
    at: f.from || f.to ? { gte: f.from, lte: f.to } : undefined,
  };
  const events = await getDb().auditEvent.findMany({
    where,
    select,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: f.take + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  const more = events.length > f.take;
  return { events: events.slice(0, f.take), nextCursor: more ? events[f.take - 1]!.id : undefined };
}
