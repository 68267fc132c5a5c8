// Personal access tokens: named, expiring tokens for scripts, agents and CI, each for one endpoint;
// created here (shown once), listed with last use, revocable.
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { RevokeControl } from "@/app/(portal)/_components/revoke-control";
import { when } from "@/app/(portal)/links/link-styles";
import { CreateTokenForm } from "@/app/(portal)/tokens/create-token-form";
import { revokeTokenAction } from "@/app/(portal)/tokens/revoke-token-action";
import { requireUser } from "@/lib/auth/session";
import { findUsableBackends } from "@/lib/backends/find-usable-backends";
import { env } from "@/lib/env";
import { findPersonalAccessTokens, type PersonalAccessTokenView } from "@/lib/personal-access-tokens/find-personal-access-tokens";
import { EXPIRY_CHOICES } from "@/lib/personal-access-tokens/personal-access-token-schema";
import { getPersonalAccessTokensEnabled } from "@/lib/settings/personal-access-tokens-enabled";

export const metadata = { title: "Personal access tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const user = await requireUser();
  const [enabled, tokens, backends] = await Promise.all([
    getPersonalAccessTokensEnabled(),
    findPersonalAccessTokens(user.userId),
    findUsableBackends(user),
  ]);
  const maxDays = env().PAT_MAX_DAYS;
  const endpoints = [
    { value: "", label: "/api/mcp — all your backends" },
    ...backends.map((b) => ({ value: b.slug, label: `/api/mcp/${b.slug} — ${b.displayName}` })),
  ];
  return (
    <>
      <PageHeader
        title="Personal access tokens"
        description="For scripts, agents and CI that cannot sign in through a browser. A token acts as you at one endpoint until it expires or you revoke it. Treat it like a password."
      />
      {enabled ? (
        <CreateTokenForm endpoints={endpoints} expiryChoices={expiryChoices(maxDays)} maxDays={maxDays} appUrl={env().APP_URL} />
      ) : (
        <p role="status" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900">
          Personal access tokens are turned off on this Gatehouse: new tokens cannot be created and existing ones are refused.
        </p>
      )}
      <h2 className="mb-3 mt-8 text-base font-semibold text-slate-900">Your tokens</h2>
      {tokens.length === 0 ? (
        <EmptyState title="No tokens yet">Tokens you create appear here, with when each was last used.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" data-testid="tokens">
          {tokens.map((t) => (
            <TokenRow key={t.id} token={t} />
          ))}
        </ul>
      )}
    </>
  );
}

function TokenRow({ token: t }: { token: PersonalAccessTokenView }) {
  const state = t.revokedAt ? `revoked ${when(t.revokedAt)}` : t.expired ? "expired" : null;
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={`token-${t.name}`}>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h3 className="font-semibold text-slate-900">
            {t.name} <span className="font-mono text-xs font-normal text-slate-500">gatehouse_pat_…{t.lastChars}</span>
          </h3>
          <p className="mt-1 text-sm text-slate-700">
            Endpoint <code className="break-all rounded bg-slate-100 px-1.5 py-0.5 text-xs">{t.resource}</code>
            {state && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">{state}</span>}
          </p>
          <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-xs text-slate-500">Created</dt>
              <dd>{when(t.createdAt)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Expires</dt>
              <dd>{when(t.expiresAt)}</dd>
            </div>
            <div>
              <dt className="text-xs text-slate-500">Last used</dt>
              <dd>{when(t.lastUsedAt, "never")}</dd>
            </div>
          </dl>
        </div>
        {!state && (
          <div className="shrink-0">
            <RevokeControl
              action={revokeTokenAction}
              id={t.id}
              what={`token ${t.name}`}
              question={`Revoke ${t.name}? Anything using it stops working at once.`}
            />
          </div>
        )}
      </div>
    </li>
  );
}

/** 7, 30 and 90 days where the maximum allows, and the maximum itself. */
function expiryChoices(maxDays: number): number[] {
  const choices: number[] = EXPIRY_CHOICES.filter((d) => d <= maxDays);
  if (!choices.includes(maxDays)) choices.push(maxDays);
  return choices;
}
