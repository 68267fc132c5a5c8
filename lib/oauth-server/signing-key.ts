// The authorization server's signing key: one ES256 key pair per deployment, created by the first
// replica to start and stored encrypted with the keyring, so every replica signs with, and every
// gateway verifies against, the same key. Two replicas starting at once may each insert one; all
// of them then use the oldest, so they still agree.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { decrypt, encrypt } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { singleton } from "@/lib/singleton";

export const SIGNING_ALG = "ES256";

export interface SigningKey {
  kid: string;
  /** Private JWK with kid, alg and use (for oidc-provider's `jwks`). */
  privateJwk: JWK;
  /** The verification key (for the gateway: no network on the hot path). */
  publicKey: CryptoKey;
}

export function getSigningKey(): Promise<SigningKey> {
  const key = singleton<{ current?: Promise<SigningKey> }>("oauth.signingKey", () => ({}));
  key.current ??= loadOrCreate().catch((e: unknown) => {
    key.current = undefined; // let the next request try again (the database may be starting)
    throw e;
  });
  return key.current;
}

const aad = (kid: string) => ({ table: "OAuthSigningKey", id: kid, field: "privateJwkEnc" });

async function loadOrCreate(): Promise<SigningKey> {
  const db = getDb();
  if ((await db.oAuthSigningKey.count()) === 0) {
    const pair = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const jwk = await exportJWK(pair.privateKey);
    const kid = await calculateJwkThumbprint(jwk);
    await db.oAuthSigningKey.createMany({
      data: [{ kid, alg: SIGNING_ALG, privateJwkEnc: encrypt(JSON.stringify(jwk), aad(kid)) }],
      skipDuplicates: true,
    });
  }
  const row = await db.oAuthSigningKey.findFirstOrThrow({ orderBy: [{ createdAt: "asc" }, { kid: "asc" }] });
  const jwk = JSON.parse(decrypt(row.privateJwkEnc, aad(row.kid))) as JWK;
  const { d: _private, ...publicJwk } = jwk;
  const publicKey = (await importJWK({ ...publicJwk, alg: row.alg }, row.alg)) as CryptoKey;
  return { kid: row.kid, privateJwk: { ...jwk, kid: row.kid, alg: row.alg, use: "sig" }, publicKey };
}
