// The consent page of Gatehouse's authorization server: an MCP client asks to act as the signed-in
// user at one Gatehouse MCP endpoint. Sign-in is the portal's (Keycloak); Approve or Deny posts to
// ./decision, which hands the answer back to the authorization server.
import { cookies } from "next/headers";
import { PageHeader, Shell } from "@/app/_components/shell";
import { primaryButton, secondaryButton } from "@/app/(portal)/links/link-styles";
import { requireUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getPendingAuthorization, INTERACTION_COOKIE, type PendingAuthorization } from "@/lib/oauth-server/interaction";

export const metadata = { title: "Connect an AI client" };
export const dynamic = "force-dynamic";

export default async function ConsentPage({ params }: { params: Promise<{ uid: string }> }) {
  const user = await requireUser();
  const { uid } = await params;
  const cookie = (await cookies()).get(INTERACTION_COOKIE)?.value;
  let pending: PendingAuthorization;
  try {
    pending = await getPendingAuthorization(uid, cookie);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return (
      <Shell user={user}>
        <PageHeader title="Connect an AI client" description="This request cannot be completed." />
        <p role="alert" className="max-w-2xl rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {e.message}
        </p>
      </Shell>
    );
  }
  const action = `/oauth/interaction/${encodeURIComponent(uid)}/decision`;
  return (
    <Shell user={user}>
      <PageHeader
        title={`Allow ${pending.clientName} to use Gatehouse as you?`}
        description="The client gets a short-lived token for this endpoint only; you can revoke it later."
      />
      <div className="max-w-2xl rounded-lg border border-slate-200 bg-white p-6">
        <dl className="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Client</dt>
          <dd data-testid="consent-client">{pending.clientName}</dd>
          <dt className="text-slate-500">Returns to</dt>
          <dd data-testid="consent-redirect-host">{pending.redirectHost}</dd>
          <dt className="text-slate-500">Endpoint</dt>
          <dd data-testid="consent-resource">
            <code>{pending.resource}</code>
            {pending.backendSlug ? ` (backend ${pending.backendSlug} only)` : " (every backend you may use)"}
          </dd>
          <dt className="text-slate-500">Signed in as</dt>
          <dd>{user.username ?? user.email ?? user.name}</dd>
        </dl>
        <form method="post" action={action} className="mt-6 flex gap-3">
          <button type="submit" name="decision" value="approve" className={primaryButton}>
            Approve
          </button>
          <button type="submit" name="decision" value="deny" className={secondaryButton}>
            Deny
          </button>
        </form>
      </div>
    </Shell>
  );
}
