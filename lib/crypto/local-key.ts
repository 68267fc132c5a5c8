// The embedded default key for development: <DATA_DIR>/keys.json, created on first start (mode
// 0600), so `npm run dev` works without configuration and encrypted rows survive restarts.
// Production refuses to start without GATEHOUSE_KEYS (lib/env.ts).
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { KeyringKey } from "@/lib/crypto/keyring";
import { ConfigError } from "@/lib/env";

type KeyFile = { keys: { kid: string; key: string }[] };

export function localKeyPath(dataDir: string): string {
  return path.resolve(dataDir, "keys.json");
}

/** Reads the local key file, creating it when missing; warns once per call (the keyring is a singleton). */
export function readOrCreateLocalKey(dataDir: string, warn: (message: string) => void = console.warn): KeyringKey {
  const file = localKeyPath(dataDir);
  warn(`gatehouse: using a local key file (${file}) to encrypt secrets; set GATEHOUSE_KEYS for production`);
  const existing = read(file);
  if (existing) return existing;
  mkdirSync(path.dirname(file), { recursive: true });
  const created: KeyFile = { keys: [{ kid: "local1", key: randomBytes(32).toString("base64") }] };
  // Write aside, then link into place: link fails when the file exists, so two processes starting
  // together agree on one key and neither ever reads a half-written file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, JSON.stringify(created, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
  return read(file)!;
}

function read(file: string): KeyringKey | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let first: KeyFile["keys"][number] | undefined;
  try {
    first = (JSON.parse(text) as Partial<KeyFile>).keys?.[0];
  } catch {
    first = undefined;
  }
  const key = first ? Buffer.from(first.key, "base64") : undefined;
  if (!first || !/^[A-Za-z0-9_-]+$/.test(first.kid) || key?.length !== 32) {
    throw new ConfigError(`Configuration error: ${file} is not a valid key file (delete it only if nothing was encrypted with it)`);
  }
  return { kid: first.kid, key };
}
