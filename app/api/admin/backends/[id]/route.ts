// GET, PATCH, DELETE /api/admin/backends/{id} — read, edit (secret omitted = kept) or delete a backend
import { parseJson, withAdmin } from "@/lib/auth/route";
import { backendPatchSchema } from "@/lib/backends/backend-schema";
import { deleteBackend } from "@/lib/backends/delete-backend";
import { getBackend } from "@/lib/backends/get-backend";
import { updateBackend } from "@/lib/backends/update-backend";

type Params = { id: string };

export const GET = withAdmin<Params>(async ({ params }) => Response.json(await getBackend(params.id)));

export const PATCH = withAdmin<Params>(async ({ req, params, caller }) => {
  const patch = await parseJson(req, backendPatchSchema);
  return Response.json(await updateBackend(params.id, patch, { userId: caller.userId }));
});

export const DELETE = withAdmin<Params>(async ({ params, caller }) => {
  await deleteBackend(params.id, { userId: caller.userId });
  return new Response(null, { status: 204 });
});
