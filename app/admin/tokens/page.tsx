// Personal access tokens: the switch that allows them (off: no new ones, existing ones refused by the
// gateway on every replica within OAUTH_REVOCATION_POLL_MS), and every user's tokens with Revoke.
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { ConfirmForm } from "@/app/admin/_components/confirm-form";
import { setTokensEnabledAction } from "@/app/admin/tokens/_actions/set-tokens-enabled-action";
import { TokensTable } from "@/app/admin/tokens/tokens-table";
import { requireAdmin } from "@/lib/auth/session";
import { findAllPersonalAccessTokens } from "@/lib/personal-access-tokens/find-personal-access-tokens";
import { getPersonalAccessTokensEnabled } from "@/lib/settings/personal-access-tokens-enabled";

export const metadata = { title: "Personal access tokens" };
export const dynamic = "force-dynamic";

export default async function AdminTokensPage() {
  await requireAdmin();
  const [enabled, tokens] = await Promise.all([getPersonalAccessTokensEnabled(), findAllPersonalAccessTokens()]);
  return (
    <>
      <PageHeader
        title="Personal access tokens"
        description="Tokens users created for scripts, agents and CI. Each acts as its user at one endpoint until it expires or is revoked."
      />
      <section className="mb-6 flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm" data-testid="tokens-setting">
          Personal access tokens are <strong>{enabled ? "on" : "off"}</strong>.{" "}
          {enabled ? "Users can create them and the gateway accepts them." : "Nobody can create one, and the gateway refuses every one."}
        </p>
        <ConfirmForm
          action={setTokensEnabledAction.bind(null, !enabled)}
          label={enabled ? "Turn off" : "Turn on"}
          confirmLabel={enabled ? "Turn off for everyone" : "Turn on"}
          question={enabled ? "Refuse every personal access token from now on?" : "Let users create and use personal access tokens?"}
        />
      </section>
      {tokens.length === 0 ? (
        <EmptyState title="No tokens">Tokens appear here when users create them on their Tokens page.</EmptyState>
      ) : (
        <TokensTable tokens={tokens} showUser />
      )}
    </>
  );
}
