// GET /api/links/<slug>/start?returnTo=/path — start linking a provider account: redirect to the provider
import { randomUUID } from "node:crypto";
import { errorResponse } from "@/lib/auth/route";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { startLink } from "@/lib/links";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ slug: string }> }) {
  const { slug } = await ctx.params;
  const appUrl = env().APP_URL;
  const user = await getSessionUser();
  if (!user) {
    // Back to the provider's link page after sign-in; it offers the Link button again.
    const back = `/links/${encodeURIComponent(slug)}`;
    return redirect(`${appUrl}/signin?callbackUrl=${encodeURIComponent(back)}`);
  }
  try {
    const { authorizationUrl } = await startLink({ userId: user.userId, providerSlug: slug, returnTo: new URL(req.url).searchParams.get("returnTo") });
    return redirect(authorizationUrl);
  } catch (e) {
    return errorResponse(e, randomUUID());
  }
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}
