// One guard per audience for pages and server actions. Middleware only redirects; these decide.
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { sessionCaller, type SessionClaims, type SessionUser } from "@/lib/auth/caller";
import { authOptions } from "@/lib/auth/options";

export type { SessionUser } from "@/lib/auth/caller";

export async function getSessionUser(): Promise<SessionUser | null> {
  // Per-user pages are never prerendered at build time.
  await connection();
  const session = await getServerSession(authOptions());
  return sessionCaller(session?.user as SessionClaims | undefined);
}

/** The signed-in user, or a redirect to sign-in that comes back to this page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (user) return user;
  const path = (await headers()).get("x-gatehouse-path") ?? "/links";
  redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
}

/** The signed-in admin; anyone else signed in gets the 403 page. */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (!user.isAdmin) forbidden();
  return user;
}
