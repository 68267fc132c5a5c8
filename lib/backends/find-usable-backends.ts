// The enabled backends a user may use (the gateway's visibility rule: no roles and no groups listed,
// or the user has one of them), for choosing a personal access token's endpoint.
import { getDb } from "@/lib/db";

interface Audience {
  roles: readonly string[];
  groups: readonly string[];
}

export interface UsableBackend {
  slug: string;
  displayName: string;
}

export async function findUsableBackends(user: Audience, opts: { slug?: string } = {}): Promise<UsableBackend[]> {
  const rows = await getDb().backend.findMany({
    where: { enabled: true, ...(opts.slug ? { slug: opts.slug } : {}) },
    select: { slug: true, displayName: true, visibleToRoles: true, visibleToGroups: true },
    orderBy: { slug: "asc" },
  });
  return rows
    .filter(
      (b) =>
        (!b.visibleToRoles.length && !b.visibleToGroups.length) ||
        b.visibleToRoles.some((r) => user.roles.includes(r)) ||
        b.visibleToGroups.some((g) => user.groups.includes(g)),
    )
    .map(({ slug, displayName }) => ({ slug, displayName }));
}
