// The batched audit write as one SQL statement: one array parameter per column, unnested into
// rows. It skips Prisma's query building, which cost more CPU per MCP call than the insert itself
// (measured with the benchmark's CPU profile); the row shape is the one Prisma writes.
import { randomUUID } from "node:crypto";
import { getDatabase } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";

const INSERT = `
INSERT INTO "AuditEvent" ("id", "at", "userId", "clientId", "clientName", "action", "outcome", "backend", "provider", "tool", "latencyMs", "detail", "traceId")
SELECT * FROM unnest($1::text[], $2::timestamp(3)[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::jsonb[], $13::text[])`;

export async function insertAuditRows(rows: Prisma.AuditEventCreateManyInput[]): Promise<void> {
  const column = <T>(pick: (r: Prisma.AuditEventCreateManyInput) => T) => rows.map(pick);
  // TIMESTAMP(3) holds UTC without a zone, as Prisma stores DateTime.
  const at = (d: Prisma.AuditEventCreateManyInput["at"]) => new Date(d ?? Date.now()).toISOString().slice(0, -1);
  await getDatabase().runRawQuery(INSERT, [
    column((r) => r.id ?? randomUUID()),
    column((r) => at(r.at)),
    column((r) => r.userId ?? null),
    column((r) => r.clientId ?? null),
    column((r) => r.clientName ?? null),
    column((r) => r.action),
    column((r) => r.outcome),
    column((r) => r.backend ?? null),
    column((r) => r.provider ?? null),
    column((r) => r.tool ?? null),
    column((r) => r.latencyMs ?? null),
    column((r) => (r.detail === undefined || r.detail === null ? null : JSON.stringify(r.detail))),
    column((r) => r.traceId ?? null),
  ]);
}
