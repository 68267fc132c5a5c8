// The provider as every caller outside lib/providers sees it: never the client secret, only whether
// one is set and when.
import type { Prisma } from "@/lib/db";
import type { ProviderKind } from "@/lib/providers/provider-input-schema";

export const publicProviderSelect = {
  id: true,
  slug: true,
  kind: true,
  displayName: true,
  baseUrl: true,
  authorizationEndpoint: true,
  tokenEndpoint: true,
  revocationEndpoint: true,
  userinfoEndpoint: true,
  clientId: true,
  clientSecretSetAt: true,
  scopes: true,
  enabled: true,
  /** "file" when a configuration file (`gatehouse apply`) manages this provider. */
  managedBy: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.ProviderSelect;

type Row = Prisma.ProviderGetPayload<{ select: typeof publicProviderSelect }>;

export type PublicProvider = Omit<Row, "kind"> & { kind: ProviderKind; clientSecretSet: boolean };

export function toPublicProvider(row: Row): PublicProvider {
  return { ...row, kind: row.kind as ProviderKind, clientSecretSet: row.clientSecretSetAt !== null };
}

/** Who made an admin change; null for seeding and other system work. */
export type Actor = { userId: string | null };
