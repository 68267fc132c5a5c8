// A user's connected MCP clients (their grants at Gatehouse's authorization server), for the portal's
// Connected clients page and the admin console: list them, and revoke one. Revoking deletes the grant
// and everything it issued that is stored (codes, refresh tokens) and records the revocation, so every
// replica's gateway refuses its access tokens within OAUTH_REVOCATION_POLL_MS.
import { findClientUsage, type ClientUsage } from "@/lib/audit/find-client-usage";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createPrismaAdapter } from "@/lib/oauth-server/adapter";
import { revokeGrants } from "@/lib/oauth-server/revoke-grants";

export interface ConnectedClient extends ClientUsage {
  grantId: string;
  clientId: string;
  clientName: string;
  /** The Gatehouse MCP endpoints the client may call. */
  resources: string[];
  grantedAt: Date;
  expiresAt: Date | null;
}

export async function findConnectedClients(userId: string): Promise<ConnectedClient[]> {
  const rows = await getDb().oAuthModel.findMany({
    where: {
      kind: "Grant",
      payload: { path: ["accountId"], equals: userId },
      OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
    },
    select: { id: true, payload: true, createdAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });
  const clients = createPrismaAdapter()("Client");
  const usage = await findClientUsage({
    userId,
    clientIds: [...new Set(rows.map((r) => (r.payload as { clientId?: string }).clientId).filter((id): id is string => !!id))],
  });
  return Promise.all(
    rows.map(async (row) => {
      const grant = row.payload as { clientId?: string; resources?: Record<string, string> };
      const clientId = grant.clientId ?? "";
      const client = await clients.find(clientId).catch(() => undefined);
      const clientName = typeof client?.client_name === "string" && client.client_name ? client.client_name : clientId;
      return {
        grantId: row.id,
        clientId,
        clientName,
        resources: Object.keys(grant.resources ?? {}),
        grantedAt: row.createdAt,
        expiresAt: row.expiresAt,
        ...(usage.get(clientId) ?? { firstUsedAt: null, lastUsedAt: null, callsLast7Days: 0 }),
      };
    }),
  );
}

/** Revokes one of the user's grants; not_found when it is not theirs (or gone). */
export async function revokeConnectedClient(opts: { userId: string; grantId: string }): Promise<void> {
  const revoked = await revokeGrants({ id: opts.grantId, payload: { path: ["accountId"], equals: opts.userId } });
  if (revoked.length === 0) throw new AppError("not_found", "No such connected client.");
  recordAudit({ action: "oauth_client.revoke", outcome: "success", userId: opts.userId, detail: { grantId: opts.grantId } });
}
