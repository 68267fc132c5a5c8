// The consent page's own frame: no portal navigation to wander off into mid-authorization, just who
// is signed in (and a way out when it is the wrong person).
import { SignOutButton } from "@/app/_components/sign-out-button";
import type { SessionUser } from "@/lib/auth/session";

export function ConsentFrame({ user, title, children }: { user: SessionUser; title: string; children: React.ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-2xl items-center gap-3 px-4 py-3 sm:px-6">
          <span className="text-lg font-bold tracking-tight text-slate-900">Gatehouse</span>
          <div className="ml-auto flex min-w-0 items-center gap-2 text-sm text-slate-600">
            <span className="truncate" data-testid="signed-in-as">
              {user.username ?? user.email ?? user.name}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-2xl px-4 py-6 sm:px-6 sm:py-8">
        <h1 className="mb-4 break-words text-xl font-semibold tracking-tight sm:text-2xl">{title}</h1>
        {children}
      </main>
    </div>
  );
}
