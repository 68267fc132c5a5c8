// Writes a revocation owed to a provider into the outbox, inside the caller's transaction (the unlink
// or provider deletion that removes the tokens), so it survives whatever happens to this process
// after the commit: lib/revocations/deliver-revocation.ts sends it from any replica.
import type { Prisma } from "@/lib/db";
import type { ProviderOAuthRow } from "@/lib/providers/get-provider-oauth";

type Tx = Pick<Prisma.TransactionClient, "revocationOutbox">;

/** How long a refresh token may live at a provider that does not say: past this, give up. */
const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 3600_000;

export const providerOAuthSelect = {
  id: true,
  slug: true,
  kind: true,
  displayName: true,
  baseUrl: true,
  scopes: true,
  enabled: true,
  authorizationEndpoint: true,
  tokenEndpoint: true,
  userinfoEndpoint: true,
  revocationEndpoint: true,
  clientId: true,
  clientSecretEnc: true,
} satisfies Prisma.ProviderSelect;

export interface RemovedLink {
  id: string;
  userId: string;
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
  expiresAt: Date | null;
}

/** Returns the outbox row's id, or undefined when no token was stored (nothing to revoke). */
export async function queueRevocation(tx: Tx, link: RemovedLink, provider: ProviderOAuthRow): Promise<string | undefined> {
  if (!link.accessTokenEnc && !link.refreshTokenEnc) return undefined;
  const now = Date.now();
  const giveUpAt = link.refreshTokenEnc
    ? new Date(now + REFRESH_TOKEN_LIFETIME_MS)
    : (link.expiresAt ?? new Date(now + REFRESH_TOKEN_LIFETIME_MS));
  const row = await tx.revocationOutbox.create({
    data: {
      userId: link.userId,
      providerId: provider.id,
      providerName: provider.displayName,
      linkId: link.id,
      accessTokenEnc: link.accessTokenEnc,
      refreshTokenEnc: link.refreshTokenEnc,
      provider: { ...provider },
      giveUpAt,
    },
    select: { id: true },
  });
  return row.id;
}
