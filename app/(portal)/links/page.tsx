// Linked accounts: the providers this user can link, and each link's state.
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { ProviderCard } from "@/app/(portal)/links/provider-card";
import { requireUser } from "@/lib/auth/session";
import { findLinksForUser } from "@/lib/links";
import { findProviders } from "@/lib/providers";
import { findPendingRevocations } from "@/lib/revocations/find-pending-revocations";

export const metadata = { title: "Linked accounts" };
export const dynamic = "force-dynamic";

export default async function LinksPage() {
  const user = await requireUser();
  const [providers, links, revoking] = await Promise.all([
    findProviders({ enabledOnly: true }),
    findLinksForUser(user.userId),
    findPendingRevocations(user.userId),
  ]);
  const linkOf = new Map(links.map((l) => [l.providerId, l]));
  const revokingIds = new Set(revoking.map((r) => r.providerId));
  return (
    <>
      <PageHeader
        title="Linked accounts"
        description="Some tools act with your own account at another service, such as GitLab. Link those accounts here; Gatehouse keeps the tokens encrypted and uses them only for your calls."
      />
      {providers.length === 0 ? (
        <EmptyState title="No providers to link yet">
          Your administrator has not configured any provider (GitLab, GitHub, …) yet.
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          {providers.map((p) => (
            <ProviderCard key={p.id} provider={p} link={linkOf.get(p.id)} revoking={revokingIds.has(p.id)} />
          ))}
        </div>
      )}
    </>
  );
}
