// Backends: every MCP server behind the gateway, its outgoing auth mode and its last check.
import Link from "next/link";
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { FormMessage, primaryButton } from "@/app/admin/_components/fields";
import { ManagedByFileBadge } from "@/app/admin/_components/managed-by-file";
import { when } from "@/app/admin/_components/when";
import { EraLabel } from "@/app/admin/backends/_components/era-label";
import { requireAdmin } from "@/lib/auth/session";
import { findBackends } from "@/lib/backends/find-backends";

export const metadata = { title: "Backends" };

export default async function AdminBackendsPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  await requireAdmin();
  const [backends, { deleted }] = await Promise.all([findBackends(), searchParams]);
  return (
    <>
      <PageHeader
        title="Backends"
        description="MCP servers behind the gateway, how Gatehouse authenticates to each, and who may use them."
        actions={
          <Link href="/admin/backends/new" className={primaryButton}>
            New backend
          </Link>
        }
      />
      {deleted && (
        <div className="mb-4">
          <FormMessage tone="success" message={`Deleted backend ${deleted}.`} />
        </div>
      )}
      {backends.length === 0 ? (
        <EmptyState title="No backends yet">Add the first MCP server Gatehouse should offer to your AI clients.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="backends-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Backend</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2">Outgoing auth</th>
                <th className="px-4 py-2">MCP era</th>
                <th className="px-4 py-2 text-right">Tools</th>
                <th className="px-4 py-2">Last check</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {backends.map((b) => (
                <tr key={b.id} data-testid={`backend-${b.slug}`}>
                  <td className="px-4 py-2">
                    <Link href={`/admin/backends/${b.id}`} className="font-medium text-brand-700 hover:underline">
                      {b.displayName}
                    </Link>
                    <ManagedByFileBadge managedBy={b.managedBy} />
                    <div className="text-xs text-slate-500">
                      {b.slug} · {b.url}
                    </div>
                  </td>
                  <td className="px-4 py-2">
                    <span className={b.enabled ? "text-emerald-700" : "text-slate-500"}>{b.enabled ? "Enabled" : "Disabled"}</span>
                  </td>
                  <td className="px-4 py-2">
                    <code className="text-xs">{b.auth.mode}</code>
                    {b.auth.provider && <span className="text-xs text-slate-500"> · {b.auth.provider.displayName}</span>}
                  </td>
                  <td className="px-4 py-2" data-testid="backend-era">
                    {b.era ? <EraLabel era={b.era} /> : <span className="text-slate-400">Not yet known</span>}
                  </td>
                  <td className="px-4 py-2 text-right">{b.toolCount ?? "—"}</td>
                  <td className="max-w-xs px-4 py-2">
                    {b.lastCheck ? (
                      <>
                        <span className={b.lastCheck.ok ? "text-emerald-700" : b.lastCheck.ok === null ? "text-amber-700" : "text-red-700"}>
                          {b.lastCheck.ok ? "OK" : b.lastCheck.ok === null ? "Unverified" : "Failed"}
                        </span>
                        <span className="text-xs text-slate-500"> · {when(b.lastCheck.at)}</span>
                        {!b.lastCheck.ok && (
                          <div className="truncate text-xs text-slate-500" title={b.lastCheck.message ?? ""}>
                            {b.lastCheck.message}
                          </div>
                        )}
                      </>
                    ) : (
                      <span className="text-slate-400">Never</span>
                    )}
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
