// The consent page of Gatehouse's authorization server: an MCP client asks to act as the signed-in
// user at one Gatehouse MCP endpoint. Sign-in is the portal's (Keycloak). When the authorization
// server only needs to know who is signed in, this page answers for the portal's user and sends the
// browser straight back (it asks again only if the user's remembered consent does not cover the
// request). Otherwise it shows who asks, where the answer goes, the endpoint and the backends; Approve
// or Deny posts to ./decision.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { BackendList } from "@/app/oauth/interaction/[uid]/backend-list";
import { ClientSummary, ConsentWarnings } from "@/app/oauth/interaction/[uid]/client-summary";
import { findConsentBackends } from "@/app/oauth/interaction/[uid]/consent-backends";
import { ConsentFrame } from "@/app/oauth/interaction/[uid]/consent-frame";
import { approveButton, denyButton } from "@/app/oauth/interaction/[uid]/consent-styles";
import { requireUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { continueSignIn, getPendingAuthorization, INTERACTION_COOKIE, type PendingAuthorization } from "@/lib/oauth-server/interaction";

export const metadata = { title: "Connect an AI client" };
export const dynamic = "force-dynamic";

export default async function ConsentPage({ params }: { params: Promise<{ uid: string }> }) {
  const user = await requireUser();
  const { uid } = await params;
  const cookie = (await cookies()).get(INTERACTION_COOKIE)?.value;
  let pending: PendingAuthorization;
  try {
    pending = await getPendingAuthorization(uid, cookie, user.userId);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return (
      <ConsentFrame user={user} title="Connect an AI client">
        <p role="alert" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {e.message}
        </p>
      </ConsentFrame>
    );
  }
  if (pending.prompt === "login") redirect(await continueSignIn({ uid, interactionCookie: cookie, userId: user.userId }));

  const backends = await findConsentBackends(user, pending.backendSlug);
  const newResource = pending.approvedBefore.length > 0 && !pending.approvedBefore.includes(pending.resource);
  return (
    <ConsentFrame user={user} title={`Allow ${pending.clientName} to use Gatehouse as you?`}>
      <div className="space-y-5 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <ClientSummary pending={pending} />
        <ConsentWarnings pending={pending} />
        {newResource && (
          <p className="rounded-md bg-brand-50 px-4 py-3 text-sm text-slate-800" data-testid="consent-asks-more">
            You approved this client before for {pending.approvedBefore.join(", ")}. It now asks for another endpoint.
          </p>
        )}
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[9rem_1fr] sm:gap-y-3">
          <dt className="font-medium text-slate-500">Returns you to</dt>
          <dd className="mb-2 break-all font-mono text-slate-900 sm:mb-0" data-testid="consent-redirect-host">
            {pending.redirectHost}
          </dd>
          <dt className="font-medium text-slate-500">Endpoint</dt>
          <dd className="mb-2 sm:mb-0" data-testid="consent-resource">
            <code className="break-all">{pending.resource}</code>
            <span className="block text-slate-600">
              {pending.backendSlug ? `Backend ${pending.backendSlug} only` : "Every backend you may use"}
            </span>
          </dd>
          <dt className="font-medium text-slate-500">Signed in as</dt>
          <dd>{user.username ?? user.email ?? user.name}</dd>
        </dl>
        <section aria-labelledby="consent-backends-heading" className="space-y-2">
          <h2 id="consent-backends-heading" className="text-sm font-semibold text-slate-900">
            What it will reach as you
          </h2>
          <BackendList backends={backends} uid={uid} clientName={pending.clientName} />
        </section>
        <p className="text-xs text-slate-500">
          The client gets short-lived tokens for this endpoint only. You will not be asked again for it; you can revoke it at any time, and
          then it must ask again.
        </p>
        <form method="post" action={`/oauth/interaction/${encodeURIComponent(uid)}/decision`} className="flex flex-col gap-3 sm:flex-row">
          <button type="submit" name="decision" value="approve" className={approveButton}>
            Approve
          </button>
          <button type="submit" name="decision" value="deny" className={denyButton}>
            Deny
          </button>
        </form>
      </div>
    </ConsentFrame>
  );
}
