import type { Identity } from "@/lib/auth/claims";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** The user's identity as stored at their last sign-in (roles and groups as last seen). Throws unauthorized when the user is gone. */
export async function getUserIdentity(userId: string): Promise<Identity> {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: { issuer: true, sub: true, username: true, email: true, name: true, roles: true, groups: true },
  });
  if (!user) throw new AppError("unauthorized", "The access token names a user Gatehouse no longer knows. Connect the client again.");
  return {
    issuer: user.issuer,
    sub: user.sub,
    username: user.username ?? undefined,
    email: user.email ?? undefined,
    name: user.name ?? undefined,
    roles: user.roles,
    groups: user.groups,
  };
}
