// GET /api/links/<slug>/start?returnTo=/path — start linking a provider account: redirect to the provider
// A GET that changes state (it opens a link attempt for the signed-in user), reached only by the Link
// buttons of our own pages: it passes the same-origin guard like any other cookie-authenticated change,
// so another site cannot start a link for a signed-in user.
import { randomUUID } from "node:crypto";
import { assertSameOrigin } from "@/lib/auth/request-guard";
import { sessionFromRequest } from "@/lib/auth/request-session";
import { errorResponse } from "@/lib/auth/route";
import { env } from "@/lib/env";
import { startLink } from "@/lib/links";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ slug: string }> }) {
  const { slug } = await ctx.params;
  const appUrl = env().APP_URL;
  const { user, setCookies } = await sessionFromRequest(req);
  if (!user) {
    // Back to the provider's link page after sign-in; it offers the Link button again.
    const back = `/links/${encodeURIComponent(slug)}`;
    return redirect(`${appUrl}/signin?callbackUrl=${encodeURIComponent(back)}`, setCookies);
  }
  try {
    assertSameOrigin(req);
    const { authorizationUrl } = await startLink({
      userId: user.userId,
      providerSlug: slug,
      returnTo: new URL(req.url).searchParams.get("returnTo"),
    });
    return redirect(authorizationUrl, setCookies);
  } catch (e) {
    return errorResponse(e, randomUUID());
  }
}

/** A 303 that also carries a session refreshed on the way (lib/auth/session-roles.ts). */
function redirect(location: string, setCookies: string[] = []): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const cookie of setCookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}
