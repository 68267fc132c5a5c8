// Sign-in: one button to Keycloak; next-auth errors arrive here as ?error=.
import { SignInButton } from "@/app/_components/sign-in-button";
import { safeReturnPath } from "@/lib/http/return-path";

const messages: Record<string, string> = {
  OAuthSignin: "Could not start sign-in with Keycloak. Check that Keycloak is reachable and try again.",
  OAuthCallback: "Keycloak sent us back something we could not accept. Try signing in again.",
  Callback: "Signing in failed on our side. Try again; if it keeps failing, tell your administrator.",
  AccessDenied: "Keycloak denied access.",
  SessionRequired: "Please sign in to continue.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  // Only same-origin paths: never bounce a user to another site after sign-in (next-auth's redirect
  // callback applies the same rule to whatever reaches it).
  const target = callbackUrl ? (safeReturnPath(callbackUrl) ?? "/") : "/links";
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <h1 className="text-2xl font-semibold">Sign in to Gatehouse</h1>
      <p className="mt-2 text-sm text-slate-600">Use your company account.</p>
      {error && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {messages[error] ?? "Sign-in failed. Try again."}
        </p>
      )}
      <div className="mt-6">
        <SignInButton callbackUrl={target} />
      </div>
    </main>
  );
}
