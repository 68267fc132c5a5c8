// GET, POST /api/admin/backends — list backends; create one
import { parseJson, withAdmin } from "@/lib/auth/route";
import { backendInputSchema } from "@/lib/backends/backend-schema";
import { createBackend } from "@/lib/backends/create-backend";
import { findBackends } from "@/lib/backends/find-backends";

export const GET = withAdmin(async () => Response.json({ backends: await findBackends() }));

export const POST = withAdmin(async ({ req, caller }) => {
  const input = await parseJson(req, backendInputSchema);
  return Response.json(await createBackend(input, { userId: caller.userId }), { status: 201 });
});
