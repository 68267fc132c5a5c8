// One backend: edit it, test the connection, enable or disable it, delete it.
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/shell";
import { ConfirmButton } from "@/app/admin/_components/confirm-button";
import { FormMessage, secondaryButton, Section } from "@/app/admin/_components/fields";
import { ManagedByFileNotice } from "@/app/admin/_components/managed-by-file";
import { when } from "@/app/admin/_components/when";
import { deleteBackendAction } from "@/app/admin/backends/_actions/delete-backend-action";
import { setBackendEnabledAction } from "@/app/admin/backends/_actions/set-backend-enabled-action";
import { testBackendAction } from "@/app/admin/backends/_actions/test-backend-action";
import { updateBackendAction } from "@/app/admin/backends/_actions/update-backend-action";
import { BackendForm } from "@/app/admin/backends/_components/backend-form";
import { EraLabel } from "@/app/admin/backends/_components/era-label";
import { TestConnectionPanel } from "@/app/admin/backends/_components/test-connection-panel";
import { requireAdmin } from "@/lib/auth/session";
import { defaultTokenEndpoint } from "@/lib/backends/auth-config";
import { getBackend } from "@/lib/backends/get-backend";
import { isAppError } from "@/lib/errors";
import { findProviders } from "@/lib/providers";

export const metadata = { title: "Backend" };

const SAVED: Record<string, string> = { created: "Backend created.", updated: "Changes saved." };

export default async function BackendPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ saved?: string }>;
}) {
  await requireAdmin();
  const [{ id }, { saved }] = await Promise.all([params, searchParams]);
  const backend = await getBackend(id).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  const providers = (await findProviders()).map(({ id: pid, displayName, slug }) => ({ id: pid, displayName, slug }));
  return (
    <>
      <Link href="/admin/backends" className="text-sm text-brand-600 hover:underline">
        ← Backends
      </Link>
      <PageHeader
        title={backend.displayName}
        description={`${backend.slug} · ${backend.enabled ? "enabled" : "disabled"} · last changed ${when(backend.updatedAt)}`}
        actions={
          <form action={setBackendEnabledAction.bind(null, backend.id, !backend.enabled)}>
            <button type="submit" className={secondaryButton}>
              {backend.enabled ? "Disable" : "Enable"}
            </button>
          </form>
        }
      />
      <div className="space-y-6">
        <ManagedByFileNotice managedBy={backend.managedBy} />
        {saved && SAVED[saved] && <FormMessage tone="success" message={SAVED[saved]} />}
        <Section
          title="Test connection"
          description="Connects as an MCP client with this backend's credential (where one can be had for you) and lists its tools."
        >
          <p className="mb-3 text-sm text-slate-600" data-testid="backend-era">
            MCP era: {backend.era ? <EraLabel era={backend.era} /> : "not yet known (found on the first session or Test connection)"}
          </p>
          <TestConnectionPanel action={testBackendAction.bind(null, backend.id)} />
        </Section>
        <BackendForm
          action={updateBackendAction.bind(null, backend.id)}
          backend={backend}
          providers={providers}
          defaultTokenEndpoint={defaultTokenEndpoint()}
        />
        <Section title="Delete">
          <form action={deleteBackendAction.bind(null, backend.id)}>
            <ConfirmButton
              label="Delete backend"
              confirmLabel={`Delete ${backend.slug}`}
              question="Its tools disappear from every client at once."
            />
          </form>
        </Section>
      </div>
    </>
  );
}
