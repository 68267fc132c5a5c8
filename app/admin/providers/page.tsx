// Providers: the OAuth apps users link, with the redirect URI each needs registered.
import Link from "next/link";
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { CopyButton } from "@/app/admin/_components/copy-button";
import { FormMessage, secondaryButton } from "@/app/admin/_components/fields";
import { ManagedByFileBadge } from "@/app/admin/_components/managed-by-file";
import { when } from "@/app/admin/_components/when";
import { PRESETS } from "@/app/admin/providers/_components/presets";
import { requireAdmin } from "@/lib/auth/session";
import { findProviders, PROVIDER_KINDS, redirectUriFor } from "@/lib/providers";

export const metadata = { title: "Providers" };

export default async function AdminProvidersPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  await requireAdmin();
  const [providers, { deleted }] = await Promise.all([findProviders(), searchParams]);
  return (
    <>
      <PageHeader title="Providers" description="OAuth apps (GitLab, GitHub, OIDC, OAuth 2) that users link to act as themselves." />
      <div className="mb-6 flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600">New provider from a preset:</span>
        {PROVIDER_KINDS.map((k) => (
          <Link key={k} href={`/admin/providers/new?kind=${k}`} className={secondaryButton}>
            {PRESETS[k].label}
          </Link>
        ))}
      </div>
      {deleted && (
        <div className="mb-4">
          <FormMessage tone="success" message="Provider deleted." />
        </div>
      )}
      {providers.length === 0 ? (
        <EmptyState title="No providers yet">
          Add one so users can link their accounts and linked-account backends can act as them.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="providers-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Provider</th>
                <th className="px-4 py-2">Status</th>
                <th className="px-4 py-2">Client</th>
                <th className="px-4 py-2">Redirect URI to register</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {providers.map((p) => {
                const uri = redirectUriFor(p.slug);
                return (
                  <tr key={p.id} data-testid={`provider-${p.slug}`}>
                    <td className="px-4 py-2">
                      <Link href={`/admin/providers/${p.id}`} className="font-medium text-brand-700 hover:underline">
                        {p.displayName}
                      </Link>
                      <ManagedByFileBadge managedBy={p.managedBy} />
                      <div className="text-xs text-slate-500">
                        {p.slug} · {p.kind} · {p.scopes.join(" ")}
                      </div>
                    </td>
                    <td className="px-4 py-2">
                      <span className={p.enabled ? "text-emerald-700" : "text-slate-500"}>{p.enabled ? "Enabled" : "Disabled"}</span>
                    </td>
                    <td className="px-4 py-2 text-xs">
                      <code>{p.clientId}</code>
                      <div className="text-slate-500">{p.clientSecretSet ? `secret set on ${when(p.clientSecretSetAt)}` : "no secret"}</div>
                    </td>
                    <td className="px-4 py-2">
                      <div className="flex items-center gap-2">
                        <code className="break-all text-xs">{uri}</code>
                        <CopyButton value={uri} />
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
