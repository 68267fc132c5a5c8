import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { publicProviderSelect, toPublicProvider, type PublicProvider } from "@/lib/providers/public-provider";

/** Throws not_found when no provider has this slug. */
export async function getProviderBySlug(slug: string): Promise<PublicProvider> {
  const row = await getDb().provider.findUnique({ where: { slug }, select: publicProviderSelect });
  if (!row) throw new AppError("not_found", `There is no provider "${slug}".`);
  return toPublicProvider(row);
}
