// Home: signed in, the user's links and clients at a glance; otherwise what Gatehouse is, and the way in.
import { Shell } from "@/app/_components/shell";
import { SignInButton } from "@/app/_components/sign-in-button";
import { SignedInHome } from "@/app/_home/signed-in-home";
import { getSessionUser } from "@/lib/auth/session";

export default async function Home() {
  const user = await getSessionUser();
  if (user)
    return (
      <Shell user={user}>
        <SignedInHome user={user} />
      </Shell>
    );
  return (
    <main className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center px-6 py-16">
      <p className="text-sm font-semibold uppercase tracking-wider text-brand-600">Gatehouse</p>
      <h1 className="mt-2 text-4xl font-bold tracking-tight">One MCP endpoint. Every tool acts as you.</h1>
      <p className="mt-4 text-lg text-slate-600">
        Gatehouse puts your company&apos;s MCP servers behind one gateway. You sign in with your company account; each backend gets your own
        identity — an exchanged company token, or the GitLab and GitHub accounts you link here — never a shared service account.
      </p>
      <ul className="mt-6 space-y-2 text-sm text-slate-700">
        <li>• Link GitLab, GitHub and other accounts once; tokens are encrypted and refreshed for you.</li>
        <li>• Point Claude, VS Code or Cursor at one URL and see every tool you may use.</li>
        <li>• See what was done with your identity, and unlink at any time.</li>
      </ul>
      <div className="mt-8 flex items-center gap-4">
        <SignInButton callbackUrl="/" />
      </div>
    </main>
  );
}
