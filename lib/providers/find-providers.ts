import { getDb } from "@/lib/db";
import { publicProviderSelect, toPublicProvider, type PublicProvider } from "@/lib/providers/public-provider";

/** All providers by display name; `enabledOnly` for what users may link. */
export async function findProviders(opts: { enabledOnly?: boolean } = {}): Promise<PublicProvider[]> {
  const rows = await getDb().provider.findMany({
    where: opts.enabledOnly ? { enabled: true } : undefined,
    select: publicProviderSelect,
    orderBy: [{ displayName: "asc" }, { slug: "asc" }],
  });
  return rows.map(toPublicProvider);
}
