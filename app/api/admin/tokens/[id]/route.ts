// DELETE /api/admin/tokens/{id} — revoke any user's personal access token (refused on every replica within OAUTH_REVOCATION_POLL_MS)
import { z } from "zod";
import { withAdmin } from "@/lib/auth/route";
import { AppError } from "@/lib/errors";
import { revokePersonalAccessToken } from "@/lib/personal-access-tokens/revoke-personal-access-token";

export const DELETE = withAdmin<{ id: string }>(async ({ params, caller }) => {
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new AppError("not_found", "No personal access token has this id: use an id from GET /api/admin/tokens.");
  await revokePersonalAccessToken({ id: id.data, actor: { userId: caller.userId, admin: true } });
  return Response.json({ id: id.data, revoked: true });
});
