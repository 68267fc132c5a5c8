// GET /api/admin/audit — audit events, newest first, filtered by user/backend/action/outcome/from/to, paged by cursor (`?format=csv` exports them)
import { z } from "zod";
import { csvResponse } from "@/app/api/admin/audit/csv-response";
import { parseQuery } from "@/app/api/admin/parse-query";
import { auditFilterSchema, findAuditEvents } from "@/lib/audit/find-audit-events";
import { withAdmin } from "@/lib/auth/route";

const querySchema = auditFilterSchema.omit({ userId: true }).extend({ format: z.enum(["json", "csv"]).default("json") });

export const GET = withAdmin(async ({ req }) => {
  const { format, ...filter } = parseQuery(req, querySchema);
  if (format === "csv") return csvResponse(filter);
  return Response.json(await findAuditEvents(filter));
});
