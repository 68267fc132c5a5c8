// Audit: filter by user, backend, action, outcome and time; page through; export what is filtered as CSV.
import Link from "next/link";
import { AuditTable } from "@/app/_components/audit-table";
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { Field, FormMessage, inputClass, secondaryButton, TextInput } from "@/app/admin/_components/fields";
import { auditFilterSchema, findAuditEvents } from "@/lib/audit/find-audit-events";
import { requireAdmin } from "@/lib/auth/session";
import { fieldErrors } from "@/lib/errors";

export const metadata = { title: "Audit" };

const FILTERS = ["user", "backend", "action", "outcome", "from", "to"] as const;
type Search = Partial<Record<(typeof FILTERS)[number] | "cursor", string>>;

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireAdmin();
  const search = await searchParams;
  const filters = Object.fromEntries(FILTERS.filter((k) => typeof search[k] === "string" && search[k] !== "").map((k) => [k, search[k]!]));
  const parsed = auditFilterSchema.omit({ userId: true }).safeParse({ ...filters, cursor: search.cursor || undefined, take: 50 });
  const errors = parsed.success ? {} : fieldErrors(parsed.error.issues);
  const { events, nextCursor } = parsed.success ? await findAuditEvents(parsed.data) : { events: [], nextCursor: undefined };
  const query = new URLSearchParams(filters);
  return (
    <>
      <PageHeader
        title="Audit"
        description="Who did what, through which backend, with which outcome. Never a token."
        actions={
          <a href={`/api/admin/audit.csv?${query}`} className={secondaryButton} download>
            Export CSV
          </a>
        }
      />
      <form className="mb-6 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-7" aria-label="Filters">
        <Field label="User" name="user" errors={errors.user}>
          <TextInput name="user" defaultValue={filters.user} placeholder="username or id" />
        </Field>
        <Field label="Backend" name="backend" errors={errors.backend}>
          <TextInput name="backend" defaultValue={filters.backend} placeholder="slug" />
        </Field>
        <Field label="Action" name="action" errors={errors.action}>
          <TextInput name="action" defaultValue={filters.action} placeholder="e.g. tool_call" list="audit-actions" />
        </Field>
        <datalist id="audit-actions">
          {[
            "tool_call",
            "sign_in",
            "link",
            "unlink",
            "refresh",
            "relink_needed",
            "admin.backend.create",
            "admin.backend.update",
            "admin.backend.delete",
            "admin.provider.update",
          ].map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <Field label="Outcome" name="outcome" errors={errors.outcome}>
          <select id="outcome" name="outcome" defaultValue={filters.outcome ?? ""} className={inputClass}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
          </select>
        </Field>
        <Field label="From (UTC)" name="from" errors={errors.from}>
          <TextInput name="from" type="datetime-local" defaultValue={filters.from} />
        </Field>
        <Field label="To (UTC)" name="to" errors={errors.to}>
          <TextInput name="to" type="datetime-local" defaultValue={filters.to} />
        </Field>
        <div className="flex items-end gap-2">
          <button type="submit" className={secondaryButton}>
            Filter
          </button>
          <Link href="/admin/audit" className="text-sm text-brand-600 hover:underline">
            Clear
          </Link>
        </div>
      </form>
      {!parsed.success && <FormMessage message="Some filters are not valid." />}
      {events.length === 0 ? <EmptyState title="No events match" /> : <AuditTable events={events} showUser />}
      <div className="mt-4 flex gap-4 text-sm">
        {search.cursor && (
          <Link href={`/admin/audit?${query}`} className="text-brand-600 hover:underline">
            ← Newest
          </Link>
        )}
        {nextCursor && (
          <Link href={`/admin/audit?${new URLSearchParams({ ...filters, cursor: nextCursor })}`} className="text-brand-600 hover:underline">
            Older →
          </Link>
        )}
      </div>
    </>
  );
}
