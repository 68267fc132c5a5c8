import { backendSelect, toPublicBackend, type PublicBackend } from "@/lib/backends/backend-public";
import { getDb } from "@/lib/db";

/** Every backend, by slug, without secrets. */
export async function findBackends(): Promise<PublicBackend[]> {
  const rows = await getDb().backend.findMany({ select: backendSelect, orderBy: { slug: "asc" } });
  return rows.map(toPublicBackend);
}
