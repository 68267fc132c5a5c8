// Linked accounts: the providers this user can link, and each link's state.
import { requireUser } from "@/lib/auth/session";
import { EmptyState, PageHeader } from "../../_components/shell";

export const metadata = { title: "Linked accounts" };

export default async function LinksPage() {
  await requireUser();
  return (
    <>
      <PageHeader
        title="Linked accounts"
        description="Some tools act with your own account at another service, such as GitLab. Link those accounts here; Gatehouse keeps the tokens encrypted and uses them only for your calls."
      />
      <EmptyState title="No providers to link yet">Your administrator has not configured any provider (GitLab, GitHub, …) yet.</EmptyState>
    </>
  );
}
