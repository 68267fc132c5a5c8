"use client";

import { signIn } from "next-auth/react";

export function SignInButton({ callbackUrl = "/links", label = "Sign in with Keycloak" }: { callbackUrl?: string; label?: string }) {
  return (
    <button
      type="button"
      onClick={() => void signIn("keycloak", { callbackUrl })}
      className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
    >
      {label}
    </button>
  );
}
