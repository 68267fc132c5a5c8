// A linked account as pages and the admin console see it: who, which scopes, which state. No tokens.
import type { Prisma } from "@/lib/db";

export const publicLinkSelect = {
  id: true,
  userId: true,
  providerId: true,
  externalId: true,
  externalName: true,
  scopes: true,
  status: true,
  statusReason: true,
  expiresAt: true,
  linkedAt: true,
  refreshedAt: true,
  lastUsedAt: true,
  provider: { select: { slug: true, displayName: true, kind: true } },
} satisfies Prisma.LinkedAccountSelect;

type Row = Prisma.LinkedAccountGetPayload<{ select: typeof publicLinkSelect }>;

export type LinkStatus = "active" | "needs_relink";
export type PublicLink = Omit<Row, "status"> & { status: LinkStatus };

export function toPublicLink(row: Row): PublicLink {
  return { ...row, status: row.status === "active" ? "active" : "needs_relink" };
}
