import { UserName } from "@/app/_components/user-name";
import type { AuditEventRow } from "@/lib/audit/find-audit-events";

const fmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export function AuditTable({ events, showUser }: { events: AuditEventRow[]; showUser: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="audit-table">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">When (UTC)</th>
            {showUser && <th className="px-4 py-2">User</th>}
            <th className="px-4 py-2">Action</th>
            <th className="px-4 py-2">Where</th>
            <th className="px-4 py-2">Outcome</th>
            <th className="px-4 py-2 text-right">Latency</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((e) => (
            <tr key={e.id}>
              <td className="whitespace-nowrap px-4 py-2 text-slate-600">{fmt.format(e.at)}</td>
              {showUser && <td className="px-4 py-2">{e.user ? <UserName user={e.user} /> : "—"}</td>}
              <td className="px-4 py-2">
                <span className="font-medium">{e.action}</span>
                {(e.clientName ?? e.clientId) && <div className="break-all text-xs text-slate-500">via {e.clientName ?? e.clientId}</div>}
              </td>
              <td className="px-4 py-2 text-slate-600">{[e.backend ?? e.provider, e.tool].filter(Boolean).join(" · ") || "—"}</td>
              <td className="px-4 py-2">
                <span className={e.outcome === "success" ? "text-emerald-700" : "text-red-700"}>{e.outcome}</span>
                {typeof e.detail === "object" && e.detail && "reason" in e.detail && (
                  <span className="ml-2 text-slate-500">{String((e.detail as { reason?: unknown }).reason)}</span>
                )}
              </td>
              <td className="px-4 py-2 text-right text-slate-600">{e.latencyMs != null ? `${e.latencyMs} ms` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
