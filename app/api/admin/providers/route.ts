// GET, POST /api/admin/providers — list providers; create one from a preset (kind gitlab | github | oidc | oauth2)
import { withRedirectUri } from "@/app/api/admin/providers/provider-response";
import { parseJson, withAdmin } from "@/lib/auth/route";
import { createProvider, findProviders, providerInputSchema } from "@/lib/providers";

export const GET = withAdmin(async () => Response.json({ providers: (await findProviders()).map(withRedirectUri) }));

export const POST = withAdmin(async ({ req, caller }) => {
  const input = await parseJson(req, providerInputSchema);
  return Response.json(withRedirectUri(await createProvider(input, { userId: caller.userId })), { status: 201 });
});
