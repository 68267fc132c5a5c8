import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createKeyring, KeyringError, parseKeys, type Aad } from "@/lib/crypto/keyring";
import { readOrCreateLocalKey } from "@/lib/crypto/local-key";
import { ConfigError } from "@/lib/env";

const key = (kid: string) => ({ kid, key: randomBytes(32) });
const aad: Aad = { table: "LinkedAccount", id: "la_1", field: "accessTokenEnc" };
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KeyringError);
    return (err as KeyringError).code;
  }
  throw new Error("expected a KeyringError");
};

describe("keyring", () => {
  const k1 = key("k1");
  const keyring = createKeyring([k1]);

  it("round-trips, with a fresh IV each time", () => {
    const a = keyring.encrypt("glpat-secret ✓", aad);
    const b = keyring.encrypt("glpat-secret ✓", aad);
    expect(a).toMatch(/^v1\.k1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(keyring.decrypt(a, aad)).toBe("glpat-secret ✓");
    expect(keyring.decrypt(keyring.encrypt("", aad), aad)).toBe("");
  });

  it("refuses tampered ciphertext", () => {
    const parts = keyring.encrypt("token", aad).split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0]! ^= 1;
    parts[3] = body.toString("base64url");
    expect(codeOf(() => keyring.decrypt(parts.join("."), aad))).toBe("auth_failed");
    // Relabelling with another kid fails even under the same key material: the header is authenticated.
    const two = createKeyring([k1, { kid: "k0", key: k1.key }]);
    const relabelled = two.encrypt("token", aad).replace(".k1.", ".k0.");
    expect(codeOf(() => two.decrypt(relabelled, aad))).toBe("auth_failed");
  });

  it("refuses a ciphertext bound to another row or field", () => {
    const c = keyring.encrypt("token", aad);
    expect(codeOf(() => keyring.decrypt(c, { ...aad, id: "la_2" }))).toBe("auth_failed");
    expect(codeOf(() => keyring.decrypt(c, { ...aad, field: "refreshTokenEnc" }))).toBe("auth_failed");
    expect(codeOf(() => keyring.decrypt(c, { ...aad, table: "Backend" }))).toBe("auth_failed");
  });

  it("refuses an unknown kid and malformed input, without echoing secrets", () => {
    const other = createKeyring([key("gone")]).encrypt("hunter2", aad);
    expect(codeOf(() => keyring.decrypt(other, aad))).toBe("unknown_kid");
    for (const bad of ["", "hunter2", "v2.k1.a.b.c", "v1.k1.a.b", "v1.k1.!!.b.c", "v1.k1.AAAA.AAAA.AAAA", "v1..a.b.c"]) {
      expect(codeOf(() => keyring.decrypt(bad, aad))).toBe("malformed");
    }
    try {
      keyring.decrypt(keyring.encrypt("hunter2", aad), { ...aad, id: "x" });
    } catch (err) {
      expect((err as Error).message).not.toContain("hunter2");
      expect((err as Error).message).not.toContain(k1.key.toString("base64"));
    }
  });

  it("after rotation, old rows still decrypt and new writes use the new kid", () => {
    const old = createKeyring([k1]).encrypt("old-token", aad);
    const rotated = createKeyring([key("k2"), k1]);
    expect(rotated.decrypt(old, aad)).toBe("old-token");
    const fresh = rotated.encrypt("new-token", aad);
    expect(fresh.split(".")[1]).toBe("k2");
    expect(rotated.decrypt(fresh, aad)).toBe("new-token");
    expect(codeOf(() => keyring.decrypt(fresh, aad))).toBe("unknown_kid");
  });

  it("derives stable secrets per purpose from the active key", () => {
    const s = keyring.deriveSecret("auth-secret");
    expect(Buffer.from(s, "base64url")).toHaveLength(32);
    expect(keyring.deriveSecret("auth-secret")).toBe(s);
    expect(keyring.deriveSecret("other")).not.toBe(s);
    expect(createKeyring([key("k9")]).deriveSecret("auth-secret")).not.toBe(s);
  });
});

describe("parseKeys", () => {
  it("reads kid:base64 pairs, first active", () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const keys = parseKeys(` new:${a.toString("base64")} , old:${b.toString("base64url")}`);
    expect(keys.map((k) => k.kid)).toEqual(["new", "old"]);
    expect(keys[0]!.key.equals(a) && keys[1]!.key.equals(b)).toBe(true);
  });

  it("names a bad entry without printing its key", () => {
    const short = randomBytes(16).toString("base64");
    expect(() => parseKeys(`k1:${short}`)).toThrow(/key "k1" is 16 bytes; each key must be 32 bytes/);
    expect(() => parseKeys(`k1:${short}`)).toThrow(ConfigError);
    try {
      parseKeys(`k1:${short}`);
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
    expect(() => parseKeys("nokid")).toThrow(/entry 1 must be kid:base64key/);
    const k = randomBytes(32).toString("base64");
    expect(() => parseKeys(`a:${k},a:${k}`)).toThrow(/twice/);
  });
});

describe("local key file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-keys-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is created once with mode 0600 and read back on the next start", () => {
    const warnings: string[] = [];
    const first = readOrCreateLocalKey(path.join(dir, "data"), (m) => warnings.push(m));
    const second = readOrCreateLocalKey(path.join(dir, "data"), (m) => warnings.push(m));
    expect(second.key.equals(first.key)).toBe(true);
    const file = path.join(dir, "data", "keys.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain(first.kid);
    expect(warnings[0]).toMatch(/using a local key file .* set GATEHOUSE_KEYS for production/);
  });
});
