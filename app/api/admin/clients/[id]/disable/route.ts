// POST /api/admin/clients/{id}/disable — refuse an MCP client from now on and revoke its grants
import { withAdmin } from "@/lib/auth/route";
import { disableClient } from "@/lib/oauth-server/admin-client-access";

export const POST = withAdmin<{ id: string }>(async ({ params, caller }) =>
  Response.json(await disableClient(params.id, { userId: caller.userId })),
);
