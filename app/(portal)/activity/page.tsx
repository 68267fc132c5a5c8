// Activity: what was done with this user's identity, newest first.
import Link from "next/link";
import { AuditTable } from "@/app/_components/audit-table";
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { findAuditEvents } from "@/lib/audit/find-audit-events";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Activity" };

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const user = await requireUser();
  const { cursor } = await searchParams;
  const validCursor = cursor && /^[0-9a-f-]{36}$/.test(cursor) ? cursor : undefined;
  // Always scoped to the signed-in user.
  const { events, nextCursor } = await findAuditEvents({ userId: user.userId, cursor: validCursor, take: 50 });
  return (
    <>
      <PageHeader title="Activity" description="Sign-ins, links, refreshes and tool calls made with your identity." />
      {events.length === 0 ? (
        <EmptyState title="Nothing yet">When you link an account or an AI client calls a tool as you, it shows up here.</EmptyState>
      ) : (
        <AuditTable events={events} showUser={false} />
      )}
      <div className="mt-4 flex gap-4 text-sm">
        {validCursor && (
          <Link href="/activity" className="text-brand-600 hover:underline">
            ← Newest
          </Link>
        )}
        {nextCursor && (
          <Link href={`/activity?cursor=${nextCursor}`} className="text-brand-600 hover:underline">
            Older →
          </Link>
        )}
      </div>
    </>
  );
}
