import { exportAuditCsv } from "@/lib/audit/export-audit-csv";
import type { AuditFilter } from "@/lib/audit/find-audit-events";

export function csvResponse(filter: AuditFilter): Response {
  const { cursor: _cursor, take: _take, ...rest } = filter;
  const day = new Date().toISOString().slice(0, 10);
  return new Response(exportAuditCsv(rest), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="gatehouse-audit-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}
