// One provider: edit it, enable or disable it, delete it (refused while backends use it).
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/shell";
import { ConfirmForm } from "@/app/admin/_components/confirm-form";
import { FormMessage, secondaryButton, Section } from "@/app/admin/_components/fields";
import { ManagedByFileNotice } from "@/app/admin/_components/managed-by-file";
import { deleteProviderAction } from "@/app/admin/providers/_actions/delete-provider-action";
import { setProviderEnabledAction } from "@/app/admin/providers/_actions/set-provider-enabled-action";
import { updateProviderAction } from "@/app/admin/providers/_actions/update-provider-action";
import { ProviderForm } from "@/app/admin/providers/_components/provider-form";
import { requireAdmin } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { getProvider, redirectUriFor } from "@/lib/providers";

export const metadata = { title: "Provider" };

const SAVED: Record<string, string> = { created: "Provider created.", updated: "Changes saved." };

export default async function ProviderPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ saved?: string }>;
}) {
  await requireAdmin();
  const [{ id }, { saved }] = await Promise.all([params, searchParams]);
  const provider = await getProvider(id).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  return (
    <>
      <Link href="/admin/providers" className="text-sm text-brand-600 hover:underline">
        ← Providers
      </Link>
      <PageHeader
        title={provider.displayName}
        description={`${provider.slug} · ${provider.kind} · ${provider.enabled ? "enabled" : "disabled: users cannot link it and its backends' calls fail"}`}
        actions={
          <form action={setProviderEnabledAction.bind(null, provider.id, !provider.enabled)}>
            <button type="submit" className={secondaryButton}>
              {provider.enabled ? "Disable" : "Enable"}
            </button>
          </form>
        }
      />
      <div className="space-y-6">
        <ManagedByFileNotice managedBy={provider.managedBy} />
        {saved && SAVED[saved] && <FormMessage tone="success" message={SAVED[saved]} />}
        <ProviderForm
          action={updateProviderAction.bind(null, provider.id)}
          kind={provider.kind}
          provider={provider}
          redirectUriTemplate={redirectUriFor("SLUG")}
        />
        <Section
          title="Delete"
          description="Deletes every user's link to it too (tokens are not revoked at the provider: revoke links on the Users page first)."
        >
          <ConfirmForm
            action={deleteProviderAction.bind(null, provider.id)}
            label="Delete provider"
            confirmLabel={`Delete ${provider.slug}`}
            question="Users lose their links."
          />
        </Section>
      </div>
    </>
  );
}
