// GET /api/admin/audit.csv — the audit events matching the same filters as /api/admin/audit, as a CSV download
import { withAdmin } from "@/lib/auth/route";
import { auditFilterSchema } from "@/lib/audit/find-audit-events";
import { parseQuery } from "@/app/api/admin/parse-query";
import { csvResponse } from "@/app/api/admin/audit/csv-response";

export const GET = withAdmin(async ({ req }) => csvResponse(parseQuery(req, auditFilterSchema.omit({ userId: true, cursor: true, take: true }))));
