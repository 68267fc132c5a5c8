// Clients an admin disabled. The adapter asks on every Client lookup, so a disabled client is
// unknown to oidc-provider (invalid_client) at authorization, token and refresh on every replica
// at once, whether it registered dynamically or is a Client ID Metadata Document URL.
import { getDb } from "@/lib/db";

export async function isClientDisabled(clientId: string): Promise<boolean> {
  const row = await getDb().oAuthDisabledClient.findUnique({ where: { clientId }, select: { clientId: true } });
  return row !== null;
}
