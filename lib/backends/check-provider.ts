import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** A linked_account backend must name an existing provider; a field error otherwise (not a 500 from the foreign key). */
export async function checkProviderExists(providerId: string): Promise<void> {
  const found = await getDb().provider.findUnique({ where: { id: providerId }, select: { id: true } });
  if (!found) throw new AppError("validation", "Some fields are not valid.", { "auth.providerId": ["no provider has this id"] });
}
