// Flow "Link", first half: a single-use state bound to the signed-in user, with a PKCE S256
// verifier, then the provider's authorization URL with the exact redirect URI for this provider.
import { createHash } from "node:crypto";
import * as oauth from "oauth4webapi";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { parseReturnTo } from "@/lib/links/return-to";
import { getProviderOAuth } from "@/lib/providers/get-provider-oauth";

export const LINK_STATE_TTL_MS = 10 * 60 * 1000;

/** The LinkState row id: the state's hash, so the database never holds the value the browser carries. */
export function linkStateId(state: string): string {
  return createHash("sha256").update(state).digest("hex");
}

export async function startLink(opts: {
  userId: string;
  providerSlug: string;
  returnTo?: string | null;
}): Promise<{ authorizationUrl: string }> {
  const returnTo = parseReturnTo(opts.returnTo);
  const p = await getProviderOAuth({ slug: opts.providerSlug }).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") return undefined;
    throw e;
  });
  if (!p?.enabled) throw new AppError("not_found", `There is no provider "${opts.providerSlug}" to link.`);

  const state = oauth.generateRandomState();
  const verifier = oauth.generateRandomCodeVerifier();
  const id = linkStateId(state);
  const now = Date.now();
  await getDb().$transaction([
    // Abandoned requests go here rather than in a sweeper job.
    getDb().linkState.deleteMany({ where: { expiresAt: { lt: new Date(now) } } }),
    getDb().linkState.create({
      data: {
        id,
        userId: opts.userId,
        providerId: p.id,
        codeVerifierEnc: getKeyring().encrypt(verifier, { table: "LinkState", id, field: "codeVerifierEnc" }),
        returnTo,
        expiresAt: new Date(now + LINK_STATE_TTL_MS),
      },
      select: { id: true },
    }),
  ]);

  const url = new URL(p.as.authorization_endpoint!);
  url.searchParams.set("client_id", p.clientId);
  url.searchParams.set("redirect_uri", p.redirectUri);
  url.searchParams.set("response_type", "code");
  if (p.scopes.length) url.searchParams.set("scope", p.scopes.join(" "));
  url.searchParams.set("state", state);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set("code_challenge_method", "S256");
  return { authorizationUrl: url.href };
}
