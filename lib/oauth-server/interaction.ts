// The sign-in and consent step of Gatehouse's authorization server, run by Next pages
// (app/oauth/interaction/[uid]) while oidc-provider lives in server.ts: both meet in the database.
// oidc-provider stored the pending authorization as an Interaction record; the consent page reads it,
// and the person's decision is written back as the interaction's result (interaction-record.ts). The
// browser then returns to oidc-provider's resume URL (bound to it by oidc-provider's resume cookie),
// which issues the code, or `access_denied`, to the client.
//
// oidc-provider asks in two steps: "login" when it has no session of its own (the portal's signed-in
// user answers it without a page: continueSignIn), then "consent" only when the user's remembered
// grant (consent/load-consent-grant.ts) does not cover the request: then the consent page asks.
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createPrismaAdapter } from "@/lib/oauth-server/adapter";
import { describeClient, type ClientProfile } from "@/lib/oauth-server/consent/client-profile";
import { isClientFirstSeen } from "@/lib/oauth-server/consent/first-seen";
import { findRememberedResources } from "@/lib/oauth-server/consent/remembered-grant";
import { loadInteraction, requestedResource, storeInteractionResult } from "@/lib/oauth-server/interaction-record";
import { checkResource } from "@/lib/oauth-server/resources";

export { INTERACTION_COOKIE } from "@/lib/oauth-server/interaction-record";

export interface PendingAuthorization {
  uid: string;
  /** "login": the authorization server only needs to know who is signed in (no question to ask). */
  prompt: "login" | "consent";
  clientId: string;
  clientName: string;
  client: ClientProfile;
  /** Nobody at this Gatehouse has approved this client yet (consent/first-seen.ts). */
  firstSeen: boolean;
  redirectHost: string;
  /** The Gatehouse MCP endpoint the client asks for. */
  resource: string;
  /** Set when the resource is one backend's endpoint. */
  backendSlug?: string;
  scopes: string[];
  /** Endpoints this user approved for this client before (why it asks again: something new). */
  approvedBefore: string[];
}

/**
 * The pending authorization, for the consent page, as seen by `userId`. `interactionCookie` must be
 * the browser's `_interaction` cookie: only the browser that started the authorization may decide it.
 */
export async function getPendingAuthorization(
  uid: string,
  interactionCookie: string | undefined,
  userId?: string,
): Promise<PendingAuthorization> {
  const { interaction } = await loadInteraction(uid, interactionCookie);
  const clientId = interaction.params.client_id;
  const metadata = await createPrismaAdapter()("Client").find(clientId);
  const resource = requestedResource(interaction);
  const checked = await checkResource(resource);
  if (!checked.ok) throw new AppError("bad_request", checked.reason);
  const redirectUri = interaction.params.redirect_uri ?? (metadata?.redirect_uris as string[] | undefined)?.[0] ?? "";
  const client = describeClient({ clientId, metadata: metadata as Record<string, unknown> | undefined, redirectUri });
  const [firstSeen, remembered] = await Promise.all([
    isClientFirstSeen(clientId),
    userId ? findRememberedResources({ accountId: userId, clientId }) : Promise.resolve({}),
  ]);
  return {
    uid,
    prompt: interaction.prompt?.name === "login" ? "login" : "consent",
    clientId,
    clientName: client.name,
    client,
    firstSeen,
    redirectHost: client.redirect.host,
    resource,
    backendSlug: checked.slug,
    scopes: (interaction.params.scope ?? "").split(" ").filter(Boolean),
    approvedBefore: Object.keys(remembered),
  };
}

/**
 * Answers oidc-provider's "login" step with the portal's signed-in user, asking nothing: the
 * authorization server then checks consent itself and comes back here only if it must ask.
 */
export async function continueSignIn(opts: { uid: string; interactionCookie: string | undefined; userId: string }): Promise<string> {
  return record(opts, { login: { accountId: opts.userId, remember: false } });
}

/** Records the person's decision; returns where to send the browser (oidc-provider's resume URL). */
export async function decideAuthorization(opts: {
  uid: string;
  interactionCookie: string | undefined;
  userId: string;
  approve: boolean;
}): Promise<string> {
  const { interaction } = await loadInteraction(opts.uid, opts.interactionCookie);
  const returnTo = await record(
    opts,
    opts.approve
      ? { login: { accountId: opts.userId, remember: false }, consent: { approved: true } }
      : { error: "access_denied", error_description: "The user declined to connect this client to Gatehouse." },
  );
  recordAudit({
    action: "client_authorize",
    outcome: opts.approve ? "success" : "failure",
    userId: opts.userId,
    clientId: interaction.params.client_id,
    detail: { resource: requestedResource(interaction), decision: opts.approve ? "approve" : "deny" },
  });
  return returnTo;
}

async function record(opts: { uid: string; interactionCookie: string | undefined; userId: string }, result: Record<string, unknown>) {
  const { interaction, payload, expiresAt } = await loadInteraction(opts.uid, opts.interactionCookie);
  const next: Record<string, unknown> = { ...payload, result };
  // The portal's signed-in user decides. If the authorization server's own session belongs to
  // someone else (another person signed in on this browser), it is ended instead of reused.
  if ("login" in result && interaction.session?.accountId && interaction.session.accountId !== opts.userId) {
    if (interaction.session.cookie) await getDb().oAuthModel.deleteMany({ where: { kind: "Session", id: interaction.session.cookie } });
    delete next.session;
  }
  await storeInteractionResult({ uid: opts.uid, payload: next, expiresAt });
  return interaction.returnTo;
}
