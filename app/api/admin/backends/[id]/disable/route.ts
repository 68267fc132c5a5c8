// POST /api/admin/backends/{id}/disable — take the backend out of the gateway, keeping its settings
import { withAdmin } from "@/lib/auth/route";
import { setBackendEnabled } from "@/lib/backends/set-backend-enabled";

export const POST = withAdmin<{ id: string }>(async ({ params, caller }) =>
  Response.json(await setBackendEnabled(params.id, false, { userId: caller.userId })),
);
