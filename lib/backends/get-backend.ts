import { backendSelect, toPublicBackend, type PublicBackend } from "@/lib/backends/backend-public";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** One backend without its secret; 404 when there is none. */
export async function getBackend(id: string): Promise<PublicBackend> {
  const row = await getDb().backend.findUnique({ where: { id }, select: backendSelect });
  if (!row) throw new AppError("not_found", "No backend has this id.");
  return toPublicBackend(row);
}
