import { auditInTransaction } from "@/lib/audit/record-audit";
import { backendSelect, toPublicBackend, type PublicBackend } from "@/lib/backends/backend-public";
import type { Actor } from "@/lib/backends/backend-schema";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";

/** Enables or disables a backend; a no-op (no audit row) when it already is. */
export async function setBackendEnabled(id: string, enabled: boolean, actor: Actor): Promise<PublicBackend> {
  const result = await getDb().$transaction(async (tx) => {
    const current = await tx.backend.findUnique({ where: { id }, select: backendSelect });
    if (!current) throw new AppError("not_found", "No backend has this id.");
    if (current.enabled === enabled) return { row: current, changed: false };
    const row = await tx.backend.update({ where: { id }, data: { enabled }, select: backendSelect });
    await auditInTransaction(tx, {
      action: enabled ? "admin.backend.enable" : "admin.backend.disable",
      outcome: "success",
      userId: actor.userId,
      backend: row.slug,
    });
    return { row, changed: true };
  });
  if (result.changed) await emitChange({ kind: "backend", id });
  return toPublicBackend(result.row);
}
