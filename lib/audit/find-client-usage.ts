// How a user's MCP clients used Gatehouse, from the audit: first and last call, and calls in the
// last 7 days, per client id (an OAuth client's id, or `pat:<id>` for a personal access token).
import { getDb } from "@/lib/db";

const CALL_ACTIONS = ["tool_call", "prompt_get", "resource_read"];
const WEEK_MS = 7 * 86_400_000;

export interface ClientUsage {
  firstUsedAt: Date | null;
  lastUsedAt: Date | null;
  callsLast7Days: number;
}

export async function findClientUsage(opts: { userId: string; clientIds: string[] }): Promise<Map<string, ClientUsage>> {
  const usage = new Map<string, ClientUsage>(opts.clientIds.map((id) => [id, { firstUsedAt: null, lastUsedAt: null, callsLast7Days: 0 }]));
  if (opts.clientIds.length === 0) return usage;
  const where = { userId: opts.userId, clientId: { in: opts.clientIds }, action: { in: CALL_ACTIONS } };
  const db = getDb();
  const [span, week] = await Promise.all([
    db.auditEvent.groupBy({ by: ["clientId"], where, _min: { at: true }, _max: { at: true } }),
    db.auditEvent.groupBy({ by: ["clientId"], where: { ...where, at: { gte: new Date(Date.now() - WEEK_MS) } }, _count: { _all: true } }),
  ]);
  for (const row of span) {
    const u = usage.get(row.clientId!);
    if (u) Object.assign(u, { firstUsedAt: row._min.at, lastUsedAt: row._max.at });
  }
  for (const row of week) {
    const u = usage.get(row.clientId!);
    if (u) u.callsLast7Days = row._count._all;
  }
  return usage;
}
