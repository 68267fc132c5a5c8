// Linked accounts per provider and state, for the gatehouse_linked_accounts gauge: one grouped count.
import { getDb } from "@/lib/db";

export interface LinkCount {
  provider: string;
  state: string;
  count: number;
}

export async function countLinksByState(): Promise<LinkCount[]> {
  const db = getDb();
  const [groups, providers] = await Promise.all([
    db.linkedAccount.groupBy({ by: ["providerId", "status"], _count: { _all: true } }),
    db.provider.findMany({ select: { id: true, slug: true } }),
  ]);
  const slugOf = new Map(providers.map((p) => [p.id, p.slug]));
  return groups.map((g) => ({ provider: slugOf.get(g.providerId) ?? "unknown", state: g.status, count: g._count._all }));
}
