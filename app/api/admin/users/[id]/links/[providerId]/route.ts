// DELETE /api/admin/users/{id}/links/{providerId} — revoke a user's linked account (at the provider when possible; deleted here in any case)
import { withAdmin } from "@/lib/auth/route";
import { unlinkAccount } from "@/lib/links";

export const DELETE = withAdmin<{ id: string; providerId: string }>(async ({ params, caller }) =>
  Response.json(await unlinkAccount({ userId: params.id, providerId: params.providerId, actor: { userId: caller.userId } })),
);
