// GET /api/links/<slug>/callback — the provider sends the user back here: finish linking, then return
import { randomUUID } from "node:crypto";
import { sessionFromRequest } from "@/lib/auth/request-session";
import { errorResponse } from "@/lib/auth/route";
import { env } from "@/lib/env";
import { completeLink } from "@/lib/links";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ slug: string }> }) {
  const { slug } = await ctx.params;
  const appUrl = env().APP_URL;
  const page = `${appUrl}/links/${encodeURIComponent(slug)}`;
  // Not behind the same-origin guard: the provider's redirect is cross-site by nature; the single-use
  // state bound to this user is what makes it safe.
  const { user, setCookies } = await sessionFromRequest(req);
  if (!user) return redirect(`${page}?error=signed_out`, setCookies);
  try {
    const result = await completeLink({ userId: user.userId, providerSlug: slug, params: new URL(req.url).searchParams });
    if (result.ok) return redirect(`${appUrl}${result.returnTo ?? `/links/${encodeURIComponent(slug)}?linked=1`}`, setCookies);
    // Only our own reason code (and the provider's OAuth error code, [a-z_]) travel in the URL.
    const code = result.providerError ? `&code=${result.providerError}` : "";
    return redirect(`${page}?error=${result.reason}${code}`, setCookies);
  } catch (e) {
    return errorResponse(e, randomUUID());
  }
}

function redirect(location: string, setCookies: string[] = []): Response {
  // no-referrer: the page we land on must not see this URL (it carried the authorization code).
  const headers = new Headers({ location, "cache-control": "no-store", "referrer-policy": "no-referrer" });
  // The session, refreshed on the way (lib/auth/session-roles.ts), goes back to the browser.
  for (const cookie of setCookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}
