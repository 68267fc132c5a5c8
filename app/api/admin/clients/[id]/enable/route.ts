// POST /api/admin/clients/{id}/enable — let a disabled MCP client authorize again
import { withAdmin } from "@/lib/auth/route";
import { enableClient } from "@/lib/oauth-server/admin-client-access";

export const POST = withAdmin<{ id: string }>(async ({ params, caller }) =>
  Response.json(await enableClient(params.id, { userId: caller.userId })),
);
