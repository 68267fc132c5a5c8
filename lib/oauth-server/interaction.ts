// The sign-in and consent step of Gatehouse's authorization server, run by Next pages
// (app/oauth/interaction/[uid]) while oidc-provider lives in server.ts: both meet in the database.
// oidc-provider stored the pending authorization as an Interaction record; the consent page reads it,
// and the person's decision is written back as the interaction's result, exactly what oidc-provider's
// own interactionResult() stores. The browser then returns to oidc-provider's resume URL (bound to it
// by oidc-provider's resume cookie), which issues the code, or `access_denied`, to the client.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb, Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createPrismaAdapter } from "@/lib/oauth-server/adapter";
import { checkResource } from "@/lib/oauth-server/resources";

/** oidc-provider's cookie naming the interaction, set for the interaction page's path only. */
export const INTERACTION_COOKIE = "_interaction";

const interactionSchema = z.object({
  returnTo: z.string(),
  exp: z.number(),
  params: z.object({
    client_id: z.string(),
    redirect_uri: z.string().optional(),
    resource: z.union([z.string(), z.array(z.string())]).optional(),
    scope: z.string().optional(),
  }),
  session: z.object({ accountId: z.string().optional(), cookie: z.string().optional() }).optional(),
});

export interface PendingAuthorization {
  uid: string;
  clientId: string;
  clientName: string;
  redirectHost: string;
  /** The Gatehouse MCP endpoint the client asks for. */
  resource: string;
  /** Set when the resource is one backend's endpoint. */
  backendSlug?: string;
}

/**
 * The pending authorization, for the consent page. `interactionCookie` must be the browser's
 * `_interaction` cookie: only the browser that started the authorization may decide it.
 */
export async function getPendingAuthorization(uid: string, interactionCookie: string | undefined): Promise<PendingAuthorization> {
  const { interaction } = await load(uid, interactionCookie);
  const clientId = interaction.params.client_id;
  const client = await createPrismaAdapter()("Client").find(clientId);
  const resource = [interaction.params.resource ?? []].flat()[0] ?? "";
  const checked = await checkResource(resource);
  if (!checked.ok) throw new AppError("bad_request", checked.reason);
  const redirectUri = interaction.params.redirect_uri ?? (client?.redirect_uris as string[] | undefined)?.[0] ?? "";
  return {
    uid,
    clientId,
    clientName: typeof client?.client_name === "string" && client.client_name ? client.client_name : clientId,
    redirectHost: URL.parse(redirectUri)?.host || redirectUri,
    resource,
    backendSlug: checked.slug,
  };
}

/** Records the person's decision; returns where to send the browser (oidc-provider's resume URL). */
export async function decideAuthorization(opts: {
  uid: string;
  interactionCookie: string | undefined;
  userId: string;
  approve: boolean;
}): Promise<string> {
  const { interaction, payload, expiresAt } = await load(opts.uid, opts.interactionCookie);
  const next: Record<string, unknown> = { ...payload };
  next.result = opts.approve
    ? { login: { accountId: opts.userId, remember: false }, consent: { approved: true } }
    : { error: "access_denied", error_description: "The user declined to connect this client to Gatehouse." };
  // The portal's signed-in user decides. If the authorization server's own session belongs to
  // someone else (another person signed in on this browser), it is ended instead of reused.
  if (opts.approve && interaction.session?.accountId && interaction.session.accountId !== opts.userId) {
    if (interaction.session.cookie) await getDb().oAuthModel.deleteMany({ where: { kind: "Session", id: interaction.session.cookie } });
    delete next.session;
  }
  await getDb().oAuthModel.update({
    where: { kind_id: { kind: "Interaction", id: opts.uid } },
    data: { payload: next as Prisma.InputJsonValue, expiresAt },
  });
  const resource = [interaction.params.resource ?? []].flat()[0];
  recordAudit({
    action: "client_authorize",
    outcome: opts.approve ? "success" : "failure",
    userId: opts.userId,
    clientId: interaction.params.client_id,
    detail: { resource, decision: opts.approve ? "approve" : "deny" },
  });
  return interaction.returnTo;
}

async function load(uid: string, interactionCookie: string | undefined) {
  if (!interactionCookie || interactionCookie !== uid) {
    throw new AppError("forbidden", "This sign-in request was started in another browser. Start the connection again from your AI client.");
  }
  const row = await getDb().oAuthModel.findUnique({
    where: { kind_id: { kind: "Interaction", id: uid } },
    select: { payload: true, expiresAt: true },
  });
  if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) {
    throw new AppError(
      "not_found",
      "This sign-in request has expired or was already used. Start the connection again from your AI client.",
    );
  }
  const parsed = interactionSchema.safeParse(row.payload);
  if (!parsed.success)
    throw new AppError("not_found", "This sign-in request cannot be read. Start the connection again from your AI client.");
  return { interaction: parsed.data, payload: row.payload as Record<string, unknown>, expiresAt: row.expiresAt };
}
