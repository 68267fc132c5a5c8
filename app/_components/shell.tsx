// The signed-in frame: portal navigation for everyone, the console's for admins only. Wide screens
// show both as rows of links; narrow ones (phones, tablets upright) fold them into one menu.
import Link from "next/link";
import { NavLink } from "@/app/_components/nav-link";
import { NavMenu } from "@/app/_components/nav-menu";
import { SignOutButton } from "@/app/_components/sign-out-button";
import type { SessionUser } from "@/lib/auth/session";

const portalPages = [
  ["/links", "Linked accounts"],
  ["/clients", "Connected clients"],
  ["/tokens", "Tokens"],
  ["/connect", "Connect a client"],
  ["/activity", "Activity"],
] as const;

const adminPages = [
  ["/admin/backends", "Backends"],
  ["/admin/providers", "Providers"],
  ["/admin/users", "Users"],
  ["/admin/clients", "MCP clients"],
  ["/admin/audit", "Audit"],
] as const;

function Links({ pages, block }: { pages: readonly (readonly [string, string])[]; block?: boolean }) {
  return pages.map(([href, label]) => (
    <NavLink key={href} href={href} block={block}>
      {label}
    </NavLink>
  ));
}

export function Shell({ user, children }: { user: SessionUser; children: React.ReactNode }) {
  const who = user.username ?? user.email ?? user.name;
  return (
    <div className="min-h-screen">
      <header className="relative border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-6 px-4 py-3 sm:px-6">
          <Link href="/" className="text-lg font-bold tracking-tight text-slate-900">
            Gatehouse
          </Link>
          <nav aria-label="Portal" className="hidden gap-1 lg:flex">
            <Links pages={portalPages} />
          </nav>
          <div className="ml-auto hidden min-w-0 items-center gap-3 text-sm text-slate-600 lg:flex">
            <span data-testid="signed-in-as" className="truncate">
              {who}
            </span>
            <SignOutButton />
          </div>
          <NavMenu>
            <nav aria-label="Portal" className="flex flex-col gap-0.5">
              <Links pages={portalPages} block />
            </nav>
            {user.isAdmin && (
              <nav aria-label="Admin console" className="mt-3 flex flex-col gap-0.5 border-t border-slate-200 pt-3">
                <p className="px-3 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Admin console</p>
                <Links pages={adminPages} block />
              </nav>
            )}
            <div className="mt-3 flex items-center justify-between gap-3 border-t border-slate-200 px-3 pt-3 text-sm text-slate-600">
              <span className="truncate">Signed in as {who}</span>
              <SignOutButton />
            </div>
          </NavMenu>
        </div>
        {user.isAdmin && (
          <div className="hidden border-t border-slate-100 bg-slate-50 lg:block">
            <div className="mx-auto flex max-w-6xl items-center gap-4 px-6 py-1.5">
              <span className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Admin console</span>
              <nav aria-label="Admin console" className="flex gap-1">
                <Links pages={adminPages} />
              </nav>
            </div>
          </div>
        )}
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: string; description?: string; actions?: React.ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
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
