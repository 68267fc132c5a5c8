import { requireAdmin } from "@/lib/auth/session";
import { findAuditEvents } from "@/lib/audit/find-audit-events";
import { EmptyState, PageHeader } from "../../_components/shell";
import { AuditTable } from "../../_components/audit-table";

export const metadata = { title: "Audit" };

export default async function AdminAuditPage() {
  await requireAdmin();
  const { events } = await findAuditEvents({ take: 100 });
  return (
    <>
      <PageHeader title="Audit" description="Who did what, through which backend, with which outcome. Never a token." />
      {events.length === 0 ? <EmptyState title="No events yet" /> : <AuditTable events={events} showUser />}
    </>
  );
}
