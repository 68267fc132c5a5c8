import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { publicProviderSelect, toPublicProvider, type PublicProvider } from "@/lib/providers/public-provider";

/** Throws not_found when there is no such provider. */
export async function getProvider(id: string): Promise<PublicProvider> {
  const row = await getDb().provider.findUnique({ where: { id }, select: publicProviderSelect });
  if (!row) throw new AppError("not_found", "There is no such provider.");
  return toPublicProvider(row);
}
