// GET /api/admin/users — users with roles, last sign-in, and their linked accounts' providers and statuses
import { parseQuery } from "@/app/api/admin/parse-query";
import { withAdmin } from "@/lib/auth/route";
import { findUsers, userFilterSchema } from "@/lib/users/find-users";

export const GET = withAdmin(async ({ req }) => Response.json(await findUsers(parseQuery(req, userFilterSchema))));
