import { getDb } from "../db";
import { AppError } from "../errors";
import { publicProviderSelect, toPublicProvider, type PublicProvider } from "./public-provider";

/** Throws not_found when there is no such provider. */
export async function getProvider(id: string): Promise<PublicProvider> {
  const row = await getDb().provider.findUnique({ where: { id }, select: publicProviderSelect });
  if (!row) throw new AppError("not_found", "There is no such provider.");
  return toPublicProvider(row);
}
