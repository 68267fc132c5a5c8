// New backend: the form, with the providers a linked_account backend may use.
import Link from "next/link";
import { PageHeader } from "@/app/_components/shell";
import { createBackendAction } from "@/app/admin/backends/_actions/create-backend-action";
import { BackendForm } from "@/app/admin/backends/_components/backend-form";
import { requireAdmin } from "@/lib/auth/session";
import { defaultTokenEndpoint } from "@/lib/backends/auth-config";
import { findProviders } from "@/lib/providers";

export const metadata = { title: "New backend" };

export default async function NewBackendPage() {
  await requireAdmin();
  const providers = (await findProviders()).map(({ id, displayName, slug }) => ({ id, displayName, slug }));
  return (
    <>
      <Link href="/admin/backends" className="text-sm text-brand-600 hover:underline">
        ← Backends
      </Link>
      <PageHeader title="New backend" description="An MCP server Gatehouse offers to AI clients, and how it authenticates there." />
      <BackendForm action={createBackendAction} providers={providers} defaultTokenEndpoint={defaultTokenEndpoint()} />
    </>
  );
}
