// Token ciphertexts of a linked account, bound to the row id and column (AES-256-GCM associated
// data), so a value copied into another user's row fails to decrypt instead of working there.
import { getKeyring } from "@/lib/crypto/keyring";

type Field = "accessTokenEnc" | "refreshTokenEnc";
const aad = (linkId: string, field: Field) => ({ table: "LinkedAccount", id: linkId, field });

export function encryptLinkTokens(linkId: string, tokens: { accessToken: string; refreshToken: string | null }) {
  const keyring = getKeyring();
  return {
    accessTokenEnc: keyring.encrypt(tokens.accessToken, aad(linkId, "accessTokenEnc")),
    refreshTokenEnc: tokens.refreshToken ? keyring.encrypt(tokens.refreshToken, aad(linkId, "refreshTokenEnc")) : null,
  };
}

/** Throws KeyringError when a ciphertext was tampered with or its key is gone. */
export function decryptLinkToken(linkId: string, field: Field, ciphertext: string): string {
  return getKeyring().decrypt(ciphertext, aad(linkId, field));
}

/** The absolute expiry from `expires_in`; null when the provider gives none (a non-expiring token). */
export function expiryFrom(expiresIn: number | undefined, now = Date.now()): Date | null {
  return typeof expiresIn === "number" && Number.isFinite(expiresIn) ? new Date(now + expiresIn * 1000) : null;
}
