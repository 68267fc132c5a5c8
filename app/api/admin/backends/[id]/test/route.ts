// POST /api/admin/backends/{id}/test — connect to the backend and list its tools (with a Bearer token, token-exchange backends are tested as the caller)
import { testBackendConnection } from "@/gateway/console/test-connection";
import { bearerFromHeader } from "@/lib/auth/bearer";
import { withAdmin } from "@/lib/auth/route";

export const POST = withAdmin<{ id: string }>(async ({ req, params, caller }) => {
  const accessToken = caller.via === "bearer" ? bearerFromHeader(req.headers.get("authorization")) : undefined;
  return Response.json(await testBackendConnection(params.id, { admin: { userId: caller.userId, accessToken } }));
});
