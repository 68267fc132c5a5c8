import { requireAdmin } from "@/lib/auth/session";
import { EmptyState, PageHeader } from "../../_components/shell";

export const metadata = { title: "Backends" };

export default async function AdminBackendsPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="Backends" description="MCP servers behind the gateway, how Gatehouse authenticates to each, and who may use them." />
      <EmptyState title="No backends yet">This part of the console is being built.</EmptyState>
    </>
  );
}
