import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { backendSelect, toPublicBackend, type PublicBackend } from "@/lib/backends/backend-public";

/** One backend without its secret; 404 when there is none. */
export async function getBackend(id: string): Promise<PublicBackend> {
  const row = await getDb().backend.findUnique({ where: { id }, select: backendSelect });
  if (!row) throw new AppError("not_found", "No backend has this id.");
  return toPublicBackend(row);
}
