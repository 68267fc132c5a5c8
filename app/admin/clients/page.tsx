// MCP clients: every client that registered or signed in at Gatehouse's authorization server, who
// connected it, and an admin's controls: disable (refuse it and revoke its connections), enable,
// delete, and revoke one user's connection.
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { UserName } from "@/app/_components/user-name";
import { ConfirmForm } from "@/app/admin/_components/confirm-form";
import { secondaryButton } from "@/app/admin/_components/fields";
import { when } from "@/app/admin/_components/when";
import { deleteClientAction } from "@/app/admin/clients/_actions/delete-client-action";
import { disableClientAction } from "@/app/admin/clients/_actions/disable-client-action";
import { enableClientAction } from "@/app/admin/clients/_actions/enable-client-action";
import { revokeClientGrantAction } from "@/app/admin/clients/_actions/revoke-client-grant-action";
import { requireAdmin } from "@/lib/auth/session";
import { findAdminClients } from "@/lib/oauth-server/admin-clients";

export const metadata = { title: "MCP clients" };

export default async function AdminClientsPage() {
  await requireAdmin();
  const clients = await findAdminClients();
  return (
    <>
      <PageHeader
        title="MCP clients"
        description="AI clients that signed users in through Gatehouse: dynamic registrations and metadata document URLs, and who connected each."
      />
      {clients.length === 0 ? (
        <EmptyState title="No MCP clients yet">Clients appear here when they register or a user connects one.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="clients-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Client</th>
                <th className="px-4 py-2">Registered</th>
                <th className="px-4 py-2">Connected users</th>
                <th className="px-4 py-2">Access</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 align-top">
              {clients.map((c) => (
                <tr key={c.clientId} data-testid={`client-${c.clientId}`}>
                  <td className="px-4 py-2">
                    <div className="font-medium">{c.name}</div>
                    <div className="break-all font-mono text-xs text-slate-500">{c.clientId}</div>
                    <div className="text-xs text-slate-500">
                      redirects to {c.redirectHosts.length ? c.redirectHosts.join(", ") : "unknown hosts"}
                    </div>
                  </td>
                  <td className="px-4 py-2 text-xs text-slate-600">
                    {c.registration === "dynamic" ? "dynamic registration" : "metadata document"}
                    <div className="text-slate-400">{when(c.createdAt)}</div>
                  </td>
                  <td className="px-4 py-2">
                    {c.grants.length === 0 && <span className="text-xs text-slate-400">None</span>}
                    <ul className="space-y-2">
                      {c.grants.map((g) => (
                        <li key={g.grantId} className="text-xs" data-testid={`grant-${g.grantId}`}>
                          {g.user ? <UserName user={g.user} /> : <span className="text-slate-500">a deleted user</span>}
                          <div className="text-slate-500">connected {when(g.grantedAt)}</div>
                          <div className="mt-1">
                            <ConfirmForm
                              action={revokeClientGrantAction.bind(null, g.grantId)}
                              label="Revoke"
                              confirmLabel="Revoke connection"
                              question={`Revoke ${g.user?.username ?? "this user"}'s connection of ${c.name}?`}
                            />
                          </div>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="space-y-2 px-4 py-2">
                    <div className={`text-xs font-medium ${c.disabled ? "text-red-700" : "text-emerald-700"}`} data-testid="client-status">
                      {c.disabled ? `disabled ${when(c.disabledAt)}` : "enabled"}
                    </div>
                    {c.disabled ? (
                      <form action={enableClientAction.bind(null, c.clientId)}>
                        <button type="submit" className={secondaryButton}>
                          Enable
                        </button>
                      </form>
                    ) : (
                      <ConfirmForm
                        action={disableClientAction.bind(null, c.clientId)}
                        label="Disable"
                        confirmLabel="Disable client"
                        question={`Disable ${c.name} and revoke its ${c.grants.length} connection${c.grants.length === 1 ? "" : "s"}?`}
                      />
                    )}
                    <ConfirmForm
                      action={deleteClientAction.bind(null, c.clientId)}
                      label="Delete"
                      confirmLabel="Delete client"
                      question={`Delete ${c.name} and revoke its connections?`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
