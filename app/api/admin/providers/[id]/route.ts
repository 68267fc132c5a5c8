// GET, PATCH, DELETE /api/admin/providers/{id} — read, edit (secret omitted = kept; `enabled: false` disables) or delete a provider (409 while backends use it)
import { z } from "zod";
import { providerAsInput, withRedirectUri } from "@/app/api/admin/providers/provider-response";
import { parseJson, withAdmin } from "@/lib/auth/route";
import { deleteProvider, getProvider, updateProvider, type ProviderInput } from "@/lib/providers";

type Params = { id: string };

export const GET = withAdmin<Params>(async ({ params }) => Response.json(withRedirectUri(await getProvider(params.id))));

// PATCH semantics over updateProvider's full replacement: the body's fields over the stored ones.
export const PATCH = withAdmin<Params>(async ({ req, params, caller }) => {
  const patch = await parseJson(req, z.record(z.string(), z.unknown(), { error: "must be a JSON object" }));
  const input = { ...providerAsInput(await getProvider(params.id)), ...patch } as ProviderInput;
  return Response.json(withRedirectUri(await updateProvider(params.id, input, { userId: caller.userId })));
});

export const DELETE = withAdmin<Params>(async ({ params, caller }) => {
  await deleteProvider(params.id, { userId: caller.userId });
  return new Response(null, { status: 204 });
});
