// The user's Keycloak refresh token, kept encrypted from the moment they approve an MCP client, so
// a call made with a Gatehouse-issued token (which Keycloak cannot exchange) can still get a Keycloak
// access token for that user: the subject of token_exchange backends' RFC 8693 exchange.
import { decrypt, encrypt } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const TIMEOUT_MS = 10_000;
const aad = (userId: string) => ({ table: "IdpToken", id: userId, field: "refreshTokenEnc" });

export async function storeIdpRefreshToken(userId: string, refreshToken: string): Promise<void> {
  const refreshTokenEnc = encrypt(refreshToken, aad(userId));
  await getDb().idpToken.upsert({ where: { userId }, create: { userId, refreshTokenEnc }, update: { refreshTokenEnc } });
}

/** A fresh Keycloak access token for the user, from their kept refresh token (the rotated one is kept when Keycloak rotates). */
export async function idpAccessTokenFor(userId: string, opts: { fetch?: typeof fetch } = {}): Promise<string> {
  const row = await getDb().idpToken.findUnique({ where: { userId }, select: { refreshTokenEnc: true } });
  if (!row) throw new AppError("upstream", "Gatehouse holds no Keycloak sign-in for you yet: sign in to the Gatehouse portal and connect the client again.");
  const e = env();
  const basic = Buffer.from(`${encodeURIComponent(e.KEYCLOAK_CLIENT_ID)}:${encodeURIComponent(e.KEYCLOAK_CLIENT_SECRET)}`).toString("base64");
  const res = await (opts.fetch ?? fetch)(`${e.KEYCLOAK_ISSUER}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: decrypt(row.refreshTokenEnc, aad(userId)) }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; refresh_token?: unknown; error?: unknown };
  if (!res.ok || typeof json.access_token !== "string") {
    if (json.error === "invalid_grant") await getDb().idpToken.deleteMany({ where: { userId } });
    throw new AppError("upstream", `Keycloak refused to renew your sign-in (HTTP ${res.status}${typeof json.error === "string" ? `: ${json.error}` : ""}): sign in to the Gatehouse portal and connect the client again.`);
  }
  if (typeof json.refresh_token === "string") await storeIdpRefreshToken(userId, json.refresh_token);
  return json.access_token;
}
