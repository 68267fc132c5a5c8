// POST /api/admin/backends/{id}/enable — make the backend available through the gateway
import { withAdmin } from "@/lib/auth/route";
import { setBackendEnabled } from "@/lib/backends/set-backend-enabled";

export const POST = withAdmin<{ id: string }>(async ({ params, caller }) =>
  Response.json(await setBackendEnabled(params.id, true, { userId: caller.userId })),
);
