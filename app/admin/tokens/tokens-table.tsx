// Personal access tokens in a table, for the tokens page (every user's) and a user's page (theirs):
// never the token, only its name, last four characters, endpoint and dates, and Revoke.
import { UserName } from "@/app/_components/user-name";
import { ConfirmForm } from "@/app/admin/_components/confirm-form";
import { when } from "@/app/admin/_components/when";
import { revokeTokenAction } from "@/app/admin/tokens/_actions/revoke-token-action";
import type { PersonalAccessTokenView } from "@/lib/personal-access-tokens/find-personal-access-tokens";

export function TokensTable({ tokens, showUser }: { tokens: PersonalAccessTokenView[]; showUser: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="tokens-table">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">Token</th>
            {showUser && <th className="px-4 py-2">User</th>}
            <th className="px-4 py-2">Endpoint</th>
            <th className="px-4 py-2">Created / expires</th>
            <th className="px-4 py-2">Last used</th>
            <th className="px-4 py-2">State</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {tokens.map((t) => (
            <tr key={t.id} data-testid={`token-${t.id}`}>
              <td className="px-4 py-2">
                <div className="font-medium">{t.name}</div>
                <div className="font-mono text-xs text-slate-500">gatehouse_pat_…{t.lastChars}</div>
              </td>
              {showUser && (
                <td className="px-4 py-2 text-xs">
                  <UserName user={t.user} />
                </td>
              )}
              <td className="px-4 py-2 font-mono text-xs">{t.resource}</td>
              <td className="px-4 py-2 text-xs text-slate-600">
                {when(t.createdAt)}
                <div className="text-slate-400">until {when(t.expiresAt)}</div>
              </td>
              <td className="px-4 py-2 text-xs text-slate-600">{t.lastUsedAt ? when(t.lastUsedAt) : "never"}</td>
              <td className="px-4 py-2 text-xs">
                {t.revokedAt ? (
                  <span className="text-slate-500">revoked {when(t.revokedAt)}</span>
                ) : t.expired ? (
                  <span className="text-slate-500">expired</span>
                ) : (
                  <ConfirmForm
                    action={revokeTokenAction.bind(null, t.id)}
                    label="Revoke"
                    confirmLabel="Revoke token"
                    question={`Revoke ${t.name}?`}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
