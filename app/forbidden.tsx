// Rendered with HTTP 403 by forbidden() (see lib/auth/session.ts requireAdmin).
import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <p className="text-sm font-semibold text-red-700">403 — Forbidden</p>
      <h1 className="mt-2 text-2xl font-semibold">This page is for Gatehouse admins</h1>
      <p className="mt-2 text-sm text-slate-600">
        Your account does not have the admin role. If you need access, ask your Keycloak administrator.
      </p>
      <Link href="/links" className="mt-6 text-sm font-medium text-brand-600 hover:underline">
        ← Back to your linked accounts
      </Link>
    </main>
  );
}
