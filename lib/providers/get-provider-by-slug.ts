import { getDb } from "../db";
import { AppError } from "../errors";
import { publicProviderSelect, toPublicProvider, type PublicProvider } from "./public-provider";

/** Throws not_found when no provider has this slug. */
export async function getProviderBySlug(slug: string): Promise<PublicProvider> {
  const row = await getDb().provider.findUnique({ where: { slug }, select: publicProviderSelect });
  if (!row) throw new AppError("not_found", `There is no provider "${slug}".`);
  return toPublicProvider(row);
}
