// After leaving Gatehouse: offer to end the Keycloak session too (single sign-out).
import Link from "next/link";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export default function SignedOutPage() {
  const e = env();
  const logout = new URL(`${e.KEYCLOAK_ISSUER}/protocol/openid-connect/logout`);
  logout.searchParams.set("client_id", e.KEYCLOAK_CLIENT_ID);
  logout.searchParams.set("post_logout_redirect_uri", `${e.APP_URL}/`);
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <h1 className="text-2xl font-semibold">You are signed out of Gatehouse</h1>
      <p className="mt-2 text-sm text-slate-600">
        Your Keycloak session may still be open, which signs you back in without a password. On a shared computer, sign out of Keycloak too.
      </p>
      <div className="mt-6 flex gap-3">
        <a href={logout.toString()} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">
          Sign out of Keycloak too
        </a>
        <Link href="/" className="rounded-md px-4 py-2 text-sm text-slate-700 hover:bg-slate-100">
          Back to Gatehouse
        </Link>
      </div>
    </main>
  );
}
