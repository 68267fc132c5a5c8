// The admin console's Users page: everyone who signed in, their roles, last sign-in, and each
// linked account's provider and status (never a token).
import { z } from "zod";
import { getDb, type Prisma } from "@/lib/db";

export const userFilterSchema = z.object({
  /** Matches username, email or name, case-insensitively. */
  q: z.string().trim().max(200).optional(),
  /** The `id` of the last user on the previous page. */
  cursor: z.string().max(100).optional(),
  take: z.coerce.number().int().min(1).max(500).default(100),
});
export type UserFilter = z.input<typeof userFilterSchema>;

const select = {
  id: true,
  issuer: true,
  username: true,
  email: true,
  name: true,
  roles: true,
  groups: true,
  createdAt: true,
  lastSeenAt: true,
  linkedAccounts: {
    select: {
      providerId: true,
      externalName: true,
      scopes: true,
      status: true,
      statusReason: true,
      linkedAt: true,
      lastUsedAt: true,
      provider: { select: { slug: true, displayName: true } },
    },
    orderBy: { linkedAt: "asc" },
  },
} satisfies Prisma.UserSelect;

export type AdminUserRow = Prisma.UserGetPayload<{ select: typeof select }> & { lastSignInAt: Date | null };

/** Users by username, keyset-paginated, with the time of each one's last sign-in (from the audit log). */
export async function findUsers(filter: UserFilter = {}): Promise<{ users: AdminUserRow[]; nextCursor?: string }> {
  const f = userFilterSchema.parse(filter);
  const db = getDb();
  const contains = f.q ? { contains: f.q, mode: "insensitive" as const } : undefined;
  const rows = await db.user.findMany({
    where: contains ? { OR: [{ username: contains }, { email: contains }, { name: contains }] } : undefined,
    select,
    orderBy: [{ username: "asc" }, { issuer: "asc" }, { id: "asc" }],
    take: f.take + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, f.take);
  const signIns = await db.auditEvent.groupBy({
    by: ["userId"],
    where: { action: "sign_in", outcome: "success", userId: { in: page.map((u) => u.id) } },
    _max: { at: true },
  });
  const lastSignIn = new Map(signIns.map((s) => [s.userId, s._max.at]));
  return {
    users: page.map((u) => ({ ...u, lastSignInAt: lastSignIn.get(u.id) ?? null })),
    nextCursor: rows.length > f.take ? page[page.length - 1]!.id : undefined,
  };
}
