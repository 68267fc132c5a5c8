// DELETE /api/admin/clients/{id} — delete an MCP client's registration and revoke its grants
import { withAdmin } from "@/lib/auth/route";
import { deleteClient } from "@/lib/oauth-server/admin-client-access";

export const DELETE = withAdmin<{ id: string }>(async ({ params, caller }) =>
  Response.json(await deleteClient(params.id, { userId: caller.userId })),
);
