// One user's MCP access: the clients connected as them (with usage from the audit) and their personal
// access tokens, each revocable by an admin.
import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { ConfirmForm } from "@/app/admin/_components/confirm-form";
import { when } from "@/app/admin/_components/when";
import { revokeClientGrantAction } from "@/app/admin/clients/_actions/revoke-client-grant-action";
import { TokensTable } from "@/app/admin/tokens/tokens-table";
import { requireAdmin } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { findConnectedClients } from "@/lib/oauth-server/connected-clients";
import { findPersonalAccessTokens } from "@/lib/personal-access-tokens/find-personal-access-tokens";
import { getUser } from "@/lib/users/get-user";

export const metadata = { title: "User" };
export const dynamic = "force-dynamic";

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const user = await getUser(id.slice(0, 100)).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  const [clients, tokens] = await Promise.all([findConnectedClients(user.id), findPersonalAccessTokens(user.id)]);
  const who = user.username ?? user.email ?? user.id;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/users" className="text-brand-600 hover:underline">
          ← Users
        </Link>
      </p>
      <PageHeader title={who} description={`${user.issuer} · last seen ${when(user.lastSeenAt)}`} />
      <h2 className="mb-3 text-base font-semibold">Connected clients</h2>
      {clients.length === 0 ? (
        <EmptyState title="No connected clients">{who} has not signed in to Gatehouse from an MCP client.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="user-clients-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Client</th>
                <th className="px-4 py-2">Endpoints</th>
                <th className="px-4 py-2">Connected / last used</th>
                <th className="px-4 py-2">Calls, 7 days</th>
                <th className="px-4 py-2">Access</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 align-top">
              {clients.map((c) => (
                <tr key={c.grantId} data-testid={`user-client-${c.grantId}`}>
                  <td className="px-4 py-2">
                    <div className="font-medium">{c.clientName}</div>
                    <div className="break-all font-mono text-xs text-slate-500">{c.clientId}</div>
                  </td>
                  <td className="px-4 py-2 font-mono text-xs">{c.resources.join(", ")}</td>
                  <td className="px-4 py-2 text-xs text-slate-600">
                    {when(c.grantedAt)}
                    <div className="text-slate-400">used {c.lastUsedAt ? when(c.lastUsedAt) : "never"}</div>
                  </td>
                  <td className="px-4 py-2 text-xs">{c.callsLast7Days}</td>
                  <td className="px-4 py-2">
                    <ConfirmForm
                      action={revokeClientGrantAction.bind(null, c.grantId)}
                      label="Revoke"
                      confirmLabel="Revoke connection"
                      question={`Revoke ${who}'s connection of ${c.clientName}?`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 className="mb-3 mt-8 text-base font-semibold">Personal access tokens</h2>
      {tokens.length === 0 ? (
        <EmptyState title="No tokens">{who} has no personal access tokens.</EmptyState>
      ) : (
        <TokensTable tokens={tokens} showUser={false} />
      )}
    </>
  );
}
