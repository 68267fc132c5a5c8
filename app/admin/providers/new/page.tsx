// New provider from a preset (?kind=gitlab|github|oidc|oauth2).
import Link from "next/link";
import { PageHeader } from "@/app/_components/shell";
import { createProviderAction } from "@/app/admin/providers/_actions/create-provider-action";
import { ProviderForm } from "@/app/admin/providers/_components/provider-form";
import { requireAdmin } from "@/lib/auth/session";
import { PROVIDER_KINDS, redirectUriFor, type ProviderKind } from "@/lib/providers";

export const metadata = { title: "New provider" };

export default async function NewProviderPage({ searchParams }: { searchParams: Promise<{ kind?: string }> }) {
  await requireAdmin();
  const { kind: asked } = await searchParams;
  const kind: ProviderKind = PROVIDER_KINDS.includes(asked as ProviderKind) ? (asked as ProviderKind) : "gitlab";
  return (
    <>
      <Link href="/admin/providers" className="text-sm text-brand-600 hover:underline">
        ← Providers
      </Link>
      <PageHeader
        title="New provider"
        description="Presets fill in the endpoints; you give the OAuth app's client id, secret and scopes."
      />
      <ProviderForm action={createProviderAction} kind={kind} redirectUriTemplate={redirectUriFor("SLUG")} />
    </>
  );
}
