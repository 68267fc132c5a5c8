// Personal access tokens as people see them: never the token or its hash, only its name, endpoint,
// last four characters and dates. A user's own (scoped by userId), or every user's for admins.
import { z } from "zod";
import { getDb } from "@/lib/db";

export const personalAccessTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  resource: z.string().describe("the one endpoint it is good for: /api/mcp or /api/mcp/<slug>"),
  lastChars: z.string().describe("the token's last four characters"),
  createdAt: z.date(),
  expiresAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  expired: z.boolean(),
  user: z.object({ id: z.string(), username: z.string().nullable(), email: z.string().nullable(), issuer: z.string() }),
});
export type PersonalAccessTokenView = z.infer<typeof personalAccessTokenSchema>;

const select = {
  id: true,
  name: true,
  resource: true,
  lastChars: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  user: { select: { id: true, username: true, email: true, issuer: true } },
} as const;

/** The user's tokens, newest first; revoked ones stay listed for a while so the user sees what happened. */
export async function findPersonalAccessTokens(userId: string): Promise<PersonalAccessTokenView[]> {
  const rows = await getDb().personalAccessToken.findMany({ where: { userId }, select, orderBy: { createdAt: "desc" }, take: 200 });
  return rows.map(withExpired);
}

/** Every user's tokens, for admins. */
export async function findAllPersonalAccessTokens(opts: { take?: number } = {}): Promise<PersonalAccessTokenView[]> {
  const rows = await getDb().personalAccessToken.findMany({ select, orderBy: { createdAt: "desc" }, take: opts.take ?? 500 });
  return rows.map(withExpired);
}

function withExpired<T extends { expiresAt: Date }>(row: T): T & { expired: boolean } {
  return { ...row, expired: row.expiresAt.getTime() <= Date.now() };
}
