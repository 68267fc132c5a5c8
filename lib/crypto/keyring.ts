// The keyring: AES-256-GCM encryption of tokens and secrets at rest, under versioned keys.
//
// GATEHOUSE_KEYS = kid:base64key[,kid:base64key…]   e.g. GATEHOUSE_KEYS=k2:<new>,k1:<old>
//   Each key is 32 random bytes in base64: generate one with `openssl rand -base64 32`.
//   The FIRST key is active (encrypts); every listed key decrypts. To rotate, put a new key first and
//   keep the old ones until no row written under them remains.
//
// Ciphertext: v1.<kid>.<iv b64url>.<ciphertext b64url>.<tag b64url> — self-describing, so a row
// names the key that decrypts it. Associated data binds each ciphertext to its table, row id and
// field: a value copied into another row or column fails to decrypt instead of leaking.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { readOrCreateLocalKey } from "@/lib/crypto/local-key";
import { ConfigError, env } from "@/lib/env";
import { log } from "@/lib/log";
import { singleton } from "@/lib/singleton";

export type KeyringKey = { kid: string; key: Buffer };
export type Aad = { table: string; id: string; field: string };

/** Thrown by decrypt; the message never contains plaintext or key material. */
export class KeyringError extends Error {
  override name = "KeyringError";
  constructor(
    /** unknown_kid: no key with that id (removed too early?); malformed: not our format;
     *  auth_failed: tampered, wrong key, or bound to another row/field. */
    readonly code: "unknown_kid" | "malformed" | "auth_failed",
    message: string,
  ) {
    super(message);
  }
}

export interface Keyring {
  readonly activeKid: string;
  encrypt(plaintext: string, aad: Aad): string;
  decrypt(ciphertext: string, aad: Aad): string;
  /** An HKDF-SHA256 secret (32 bytes, base64url) from the active key, one per purpose. */
  deriveSecret(purpose: string): string;
}

const VERSION = "v1";
const KID = /^[A-Za-z0-9_-]+$/;
const B64URL = /^[A-Za-z0-9_-]*$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Parses GATEHOUSE_KEYS. Throws a ConfigError naming the bad entry (never its key). */
export function parseKeys(spec: string): KeyringKey[] {
  const keys = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const at = entry.indexOf(":");
      const kid = at > 0 ? entry.slice(0, at) : "";
      const b64 = entry.slice(at + 1);
      if (!KID.test(kid)) throw new ConfigError(`Configuration error: GATEHOUSE_KEYS entry ${i + 1} must be kid:base64key`);
      if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) throw new ConfigError(`Configuration error: GATEHOUSE_KEYS key "${kid}" is not base64`);
      const key = Buffer.from(b64, "base64");
      if (key.length !== 32) {
        throw new ConfigError(
          `Configuration error: GATEHOUSE_KEYS key "${kid}" is ${key.length} bytes; each key must be 32 bytes (openssl rand -base64 32)`,
        );
      }
      return { kid, key };
    });
  if (keys.length === 0) throw new ConfigError("Configuration error: GATEHOUSE_KEYS names no key");
  const seen = new Set<string>();
  for (const { kid } of keys) {
    if (seen.has(kid)) throw new ConfigError(`Configuration error: GATEHOUSE_KEYS names kid "${kid}" twice`);
    seen.add(kid);
  }
  return keys;
}

// The header is authenticated too, so a ciphertext cannot be relabelled with another kid or version.
function associatedData(kid: string, aad: Aad): Buffer {
  return Buffer.from(`${VERSION}.${kid}.${JSON.stringify([aad.table, aad.id, aad.field])}`, "utf8");
}

/** A keyring over explicit keys; the first is active. */
export function createKeyring(keys: KeyringKey[]): Keyring {
  const active = keys[0];
  if (!active) throw new ConfigError("Configuration error: the keyring needs at least one key");
  const byKid = new Map(keys.map((k) => [k.kid, k.key]));

  return {
    activeKid: active.kid,

    encrypt(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", active.key, iv);
      cipher.setAAD(associatedData(active.kid, aad));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString("base64url"));
      return [VERSION, active.kid, ...parts].join(".");
    },

    decrypt(ciphertext, aad) {
      const parts = typeof ciphertext === "string" ? ciphertext.split(".") : [];
      const [version, kid, ivText, bodyText, tagText] = parts;
      if (
        parts.length !== 5 ||
        version !== VERSION ||
        !kid ||
        !KID.test(kid) ||
        ![ivText, bodyText, tagText].every((p) => B64URL.test(p!))
      ) {
        throw new KeyringError("malformed", `not a ${VERSION} keyring ciphertext (${aad.table}.${aad.field})`);
      }
      const iv = Buffer.from(ivText!, "base64url");
      const tag = Buffer.from(tagText!, "base64url");
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new KeyringError("malformed", `bad IV or tag length (${aad.table}.${aad.field})`);
      }
      const key = byKid.get(kid);
      if (!key) throw new KeyringError("unknown_kid", `no key "${kid}" in GATEHOUSE_KEYS (${aad.table}.${aad.field})`);
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(associatedData(kid, aad));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(bodyText!, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        throw new KeyringError(
          "auth_failed",
          `ciphertext failed authentication (${aad.table}.${aad.field}): tampered, or bound to another row`,
        );
      }
    },

    deriveSecret(purpose) {
      // Changes when the active key rotates; only development falls back to it (AUTH_SECRET unset).
      return Buffer.from(hkdfSync("sha256", active.key, "gatehouse", `gatehouse:${purpose}`, 32)).toString("base64url");
    },
  };
}

/** The process-wide keyring: GATEHOUSE_KEYS, or a local key file outside production. */
export function getKeyring(): Keyring {
  return singleton(
    "keyring",
    () => {
      const e = env();
      if (e.GATEHOUSE_KEYS) return createKeyring(parseKeys(e.GATEHOUSE_KEYS));
      // env() refuses to start production without GATEHOUSE_KEYS; this guards any other path.
      if (e.NODE_ENV === "production") throw new ConfigError("Configuration error: GATEHOUSE_KEYS is required in production");
      return createKeyring([readOrCreateLocalKey(e.DATA_DIR, (message) => log.warn(message))]);
    },
    "recreate",
  );
}

export const encrypt = (plaintext: string, aad: Aad): string => getKeyring().encrypt(plaintext, aad);
export const decrypt = (ciphertext: string, aad: Aad): string => getKeyring().decrypt(ciphertext, aad);
export const deriveSecret = (purpose: string): string => getKeyring().deriveSecret(purpose);
