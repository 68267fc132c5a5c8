import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** A user as the console shows them; not_found when there is no such user. */
export async function getUser(id: string) {
  const user = await getDb().user.findUnique({
    where: { id },
    select: { id: true, username: true, email: true, name: true, issuer: true, lastSeenAt: true },
  });
  if (!user) throw new AppError("not_found", "No such user.");
  return user;
}
