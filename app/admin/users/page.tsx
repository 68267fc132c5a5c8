import { requireAdmin } from "@/lib/auth/session";
import { EmptyState, PageHeader } from "../../_components/shell";

export const metadata = { title: "Users" };

export default async function AdminUsersPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="Users" description="Everyone who signed in, their roles and their linked accounts." />
      <EmptyState title="No users yet">This part of the console is being built.</EmptyState>
    </>
  );
}
