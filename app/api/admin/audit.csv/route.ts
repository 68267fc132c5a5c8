// GET /api/admin/audit.csv — the audit events matching the same filters as /api/admin/audit, as a CSV download
import { csvResponse } from "@/app/api/admin/audit/csv-response";
import { parseQuery } from "@/app/api/admin/parse-query";
import { auditFilterSchema } from "@/lib/audit/find-audit-events";
import { withAdmin } from "@/lib/auth/route";

export const GET = withAdmin(async ({ req }) =>
  csvResponse(parseQuery(req, auditFilterSchema.omit({ userId: true, cursor: true, take: true }))),
);
