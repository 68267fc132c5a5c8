// Users: everyone who signed in, their roles, last sign-in and linked accounts; an admin can revoke a link.
import Link from "next/link";
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { UserName } from "@/app/_components/user-name";
import { ConfirmForm } from "@/app/admin/_components/confirm-form";
import { inputClass, secondaryButton } from "@/app/admin/_components/fields";
import { when } from "@/app/admin/_components/when";
import { revokeLinkAction } from "@/app/admin/users/_actions/revoke-link-action";
import { requireAdmin } from "@/lib/auth/session";
import { findUsers } from "@/lib/users/find-users";

export const metadata = { title: "Users" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string; cursor?: string }> }) {
  await requireAdmin();
  const { q, cursor } = await searchParams;
  const { users, nextCursor } = await findUsers({ q: q?.slice(0, 200), cursor: cursor?.slice(0, 100), take: 50 });
  return (
    <>
      <PageHeader title="Users" description="Everyone who signed in, their roles and their linked accounts." />
      <form className="mb-4 flex max-w-md gap-2" role="search">
        <input name="q" defaultValue={q} placeholder="Username, email or name" aria-label="Search users" className={inputClass} />
        <button type="submit" className={secondaryButton}>
          Search
        </button>
      </form>
      {users.length === 0 ? (
        <EmptyState title="No users">{q ? "Nobody matches this search." : "Users appear here after they first sign in."}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="users-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">User and issuer</th>
                <th className="px-4 py-2">Roles and groups</th>
                <th className="px-4 py-2">Last sign-in</th>
                <th className="px-4 py-2">Linked accounts</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 align-top">
              {users.map((u) => (
                <tr key={u.id} data-testid={`user-${u.username ?? u.id}`}>
                  <td className="px-4 py-2">
                    <Link href={`/admin/users/${u.id}`} className="hover:underline">
                      <UserName user={u} />
                    </Link>
                    <div className="text-xs text-slate-500">{[u.name, u.email].filter(Boolean).join(" · ")}</div>
                  </td>
                  <td className="px-4 py-2 text-xs">
                    <div className="flex flex-wrap gap-1">
                      {u.roles.map((r) => (
                        <span key={r} className="rounded bg-slate-100 px-1.5 py-0.5">
                          {r}
                        </span>
                      ))}
                    </div>
                    {u.groups.length > 0 && <div className="mt-1 text-slate-500">{u.groups.join(", ")}</div>}
                  </td>
                  <td className="px-4 py-2 text-xs text-slate-600">
                    {when(u.lastSignInAt)}
                    <div className="text-slate-400">seen {when(u.lastSeenAt)}</div>
                  </td>
                  <td className="px-4 py-2">
                    {u.linkedAccounts.length === 0 && <span className="text-xs text-slate-400">None</span>}
                    <ul className="space-y-2">
                      {u.linkedAccounts.map((l) => (
                        <li key={l.providerId} className="text-xs" data-testid={`link-${u.username}-${l.provider.slug}`}>
                          <span className="font-medium">{l.provider.displayName}</span> as {l.externalName} ·{" "}
                          <span className={l.status === "active" ? "text-emerald-700" : "text-amber-700"}>
                            {l.status === "active" ? "active" : "needs relink"}
                          </span>
                          {l.statusReason && l.status !== "active" && <span className="text-slate-500"> ({l.statusReason})</span>}
                          <div className="text-slate-500">
                            linked {when(l.linkedAt)} · used {when(l.lastUsedAt)}
                          </div>
                          <div className="mt-1">
                            <ConfirmForm
                              action={revokeLinkAction.bind(null, u.id, l.providerId)}
                              label="Revoke"
                              confirmLabel="Revoke link"
                              question={`Revoke ${u.username ?? "this user"}'s ${l.provider.displayName} link?`}
                            />
                          </div>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="mt-4 flex gap-4 text-sm">
        {cursor && (
          <Link href={`/admin/users${q ? `?q=${encodeURIComponent(q)}` : ""}`} className="text-brand-600 hover:underline">
            ← First page
          </Link>
        )}
        {nextCursor && (
          <Link
            href={`/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), cursor: nextCursor })}`}
            className="text-brand-600 hover:underline"
          >
            Next page →
          </Link>
        )}
      </div>
    </>
  );
}
