import { requireAdmin } from "@/lib/auth/session";
import { EmptyState, PageHeader } from "../../_components/shell";

export const metadata = { title: "Providers" };

export default async function AdminProvidersPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="Providers" description="OAuth apps (GitLab, GitHub, OIDC, OAuth 2) that users link to act as themselves." />
      <EmptyState title="No providers yet">This part of the console is being built.</EmptyState>
    </>
  );
}
