import { auditInTransaction } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/backends/backend-schema";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";

/** Deletes a backend (404 when there is none) and audits it in the same transaction. */
export async function deleteBackend(id: string, actor: Actor): Promise<{ id: string; slug: string }> {
  const deleted = await getDb().$transaction(async (tx) => {
    const row = await tx.backend.findUnique({ where: { id }, select: { id: true, slug: true, authMode: true } });
    if (!row) return null;
    await tx.backend.delete({ where: { id }, select: { id: true } });
    await auditInTransaction(tx, {
      action: "admin.backend.delete",
      outcome: "success",
      userId: actor.userId,
      backend: row.slug,
      detail: { authMode: row.authMode },
    });
    return row;
  });
  if (!deleted) throw new AppError("not_found", "No backend has this id.");
  await emitChange({ kind: "backend", id });
  return { id: deleted.id, slug: deleted.slug };
}
