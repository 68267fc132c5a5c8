// The signed-in frame: portal navigation for everyone, the console's for admins only.
import Link from "next/link";
import { NavLink } from "@/app/_components/nav-link";
import { SignOutButton } from "@/app/_components/sign-out-button";
import type { SessionUser } from "@/lib/auth/session";

export function Shell({ user, children }: { user: SessionUser; children: React.ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-6 px-6 py-3">
          <Link href="/links" className="text-lg font-bold tracking-tight text-slate-900">
            Gatehouse
          </Link>
          <nav aria-label="Portal" className="flex gap-1">
            <NavLink href="/links">Linked accounts</NavLink>
            <NavLink href="/activity">Activity</NavLink>
          </nav>
          {user.isAdmin && (
            <nav aria-label="Admin console" className="flex gap-1 border-l border-slate-200 pl-6">
              <NavLink href="/admin/backends">Backends</NavLink>
              <NavLink href="/admin/providers">Providers</NavLink>
              <NavLink href="/admin/users">Users</NavLink>
              <NavLink href="/admin/clients">MCP clients</NavLink>
              <NavLink href="/admin/audit">Audit</NavLink>
            </nav>
          )}
          <div className="ml-auto flex items-center gap-3 text-sm text-slate-600">
            <span data-testid="signed-in-as">{user.username ?? user.email ?? user.name}</span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: React.ReactNode }) {
  return (
    <div className="mb-6 flex items-start justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description && <p className="mt-1 max-w-3xl text-sm text-slate-600">{description}</p>}
      </div>
      {actions}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {children && <div className="mx-auto mt-2 max-w-xl text-sm text-slate-600">{children}</div>}
    </div>
  );
}
