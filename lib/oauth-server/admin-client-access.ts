// What an admin does to an MCP client: disable it (refused at authorization, token and refresh; its
// grants revoked, so its access tokens stop working on every replica within OAUTH_REVOCATION_POLL_MS),
// enable it again, delete it (its registration and grants), or revoke one user's grant. Each is audited.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isClientMetadataUrl } from "@/lib/oauth-server/client-metadata-document";
import { revokeGrants } from "@/lib/oauth-server/revoke-grants";

export const clientAccessResultSchema = z.object({
  clientId: z.string(),
  disabled: z.boolean(),
  revokedGrants: z.number().int().describe("grants revoked by this change"),
});
export type ClientAccessResult = z.infer<typeof clientAccessResultSchema>;

interface Actor {
  userId: string;
}

const grantsOf = (clientId: string) => ({ payload: { path: ["clientId"], equals: clientId } });

export async function disableClient(clientId: string, actor: Actor): Promise<ClientAccessResult> {
  await requireKnownClient(clientId);
  // Disabled first, so no new grant is made while the existing ones are revoked.
  await getDb().oAuthDisabledClient.upsert({ where: { clientId }, create: { clientId, disabledBy: actor.userId }, update: {} });
  const revoked = await revokeGrants(grantsOf(clientId));
  recordAudit({
    action: "admin.oauth_client.disable",
    outcome: "success",
    userId: actor.userId,
    clientId,
    detail: { revokedGrants: revoked.length },
  });
  return { clientId, disabled: true, revokedGrants: revoked.length };
}

export async function enableClient(clientId: string, actor: Actor): Promise<ClientAccessResult> {
  const { count } = await getDb().oAuthDisabledClient.deleteMany({ where: { clientId } });
  if (count === 0) await requireKnownClient(clientId);
  else recordAudit({ action: "admin.oauth_client.enable", outcome: "success", userId: actor.userId, clientId });
  return { clientId, disabled: false, revokedGrants: 0 };
}

/** Deletes a registration and revokes its grants. A metadata document client can come back by signing in again unless disabled (which delete keeps). */
export async function deleteClient(clientId: string, actor: Actor): Promise<ClientAccessResult> {
  const db = getDb();
  const revoked = await revokeGrants(grantsOf(clientId));
  const { count } = await db.oAuthModel.deleteMany({ where: { kind: "Client", id: clientId } });
  const disabled = (await db.oAuthDisabledClient.count({ where: { clientId } })) > 0;
  if (count === 0 && revoked.length === 0 && !disabled) throw notFound(clientId);
  recordAudit({
    action: "admin.oauth_client.delete",
    outcome: "success",
    userId: actor.userId,
    clientId,
    detail: { revokedGrants: revoked.length },
  });
  return { clientId, disabled, revokedGrants: revoked.length };
}

/** Revokes one grant (one user's connection of a client), whoever it belongs to. */
export async function revokeClientGrant(grantId: string, actor: Actor): Promise<void> {
  const grant = await getDb().oAuthModel.findUnique({ where: { kind_id: { kind: "Grant", id: grantId } }, select: { payload: true } });
  const revoked = await revokeGrants({ id: grantId });
  if (revoked.length === 0) throw new AppError("not_found", "No grant has this id; it may already be revoked. Reload the list.");
  const { clientId, accountId } = (grant?.payload ?? {}) as { clientId?: string; accountId?: string };
  recordAudit({
    action: "admin.oauth_client.revoke_grant",
    outcome: "success",
    userId: actor.userId,
    clientId,
    detail: { grantId, grantUserId: accountId ?? null },
  });
}

async function requireKnownClient(clientId: string): Promise<void> {
  if (isClientMetadataUrl(clientId)) return;
  const db = getDb();
  const [client, grant] = await Promise.all([
    db.oAuthModel.findUnique({ where: { kind_id: { kind: "Client", id: clientId } }, select: { id: true } }),
    db.oAuthModel.findFirst({ where: { kind: "Grant", ...grantsOf(clientId) }, select: { id: true } }),
  ]);
  if (!client && !grant) throw notFound(clientId);
}

const notFound = (clientId: string) =>
  new AppError(
    "not_found",
    `No MCP client has the id ${JSON.stringify(clientId.slice(0, 200))}: use a client id from GET /api/admin/clients.`,
  );
