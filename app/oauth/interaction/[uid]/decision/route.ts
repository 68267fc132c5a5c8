// POST /oauth/interaction/<uid>/decision — the signed-in user approves or denies an MCP client; back to the authorization server
import { randomUUID } from "node:crypto";
import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { authOptions } from "@/lib/auth/options";
import { assertSameOrigin } from "@/lib/auth/request-guard";
import { errorResponse } from "@/lib/auth/route";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { storeIdpRefreshToken } from "@/lib/oauth-server/idp-refresh-token";
import { decideAuthorization, INTERACTION_COOKIE } from "@/lib/oauth-server/interaction";

export const dynamic = "force-dynamic";

const form = z.object({ decision: z.enum(["approve", "deny"]) });

export async function POST(req: NextRequest, ctx: { params: Promise<{ uid: string }> }) {
  const requestId = randomUUID();
  try {
    // The one request guard: another site must not make a signed-in user approve a client.
    assertSameOrigin(req);
    const { uid } = await ctx.params;
    const user = await getSessionUser();
    if (!user) return redirect(`${env().APP_URL}/signin?callbackUrl=${encodeURIComponent(`/oauth/interaction/${uid}`)}`);
    const parsed = form.safeParse(Object.fromEntries(await req.formData()));
    if (!parsed.success) throw new AppError("bad_request", "decision must be approve or deny.");
    const approve = parsed.data.decision === "approve";
    const cookie = req.cookies.get(INTERACTION_COOKIE)?.value;
    if (approve) await keepIdpRefreshToken(req, user.userId);
    return redirect(await decideAuthorization({ uid, interactionCookie: cookie, userId: user.userId, approve }));
  } catch (e) {
    return errorResponse(e, requestId);
  }
}

/** The Keycloak refresh token from the portal session, for token exchange backends (see idp-refresh-token.ts). */
async function keepIdpRefreshToken(req: NextRequest, userId: string): Promise<void> {
  const session = await getToken({ req, secret: authOptions().secret });
  const refreshToken = session?.refreshToken;
  if (typeof refreshToken === "string") await storeIdpRefreshToken(userId, refreshToken);
  else
    log.warn({ userId }, "the portal session holds no Keycloak refresh token: token exchange backends will ask this user to sign in again");
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}
