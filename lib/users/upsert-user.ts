import type { Identity } from "@/lib/auth/claims";
import { getDb } from "@/lib/db";

/** Creates or refreshes the user row for a verified identity; roles and groups are as last seen. */
export async function upsertUser(identity: Identity): Promise<{ id: string }> {
  const fields = {
    username: identity.username ?? null,
    email: identity.email ?? null,
    name: identity.name ?? null,
    roles: identity.roles,
    groups: identity.groups,
    lastSeenAt: new Date(),
  };
  return getDb().user.upsert({
    where: { issuer_sub: { issuer: identity.issuer, sub: identity.sub } },
    create: { issuer: identity.issuer, sub: identity.sub, ...fields },
    update: fields,
    select: { id: true },
  });
}
