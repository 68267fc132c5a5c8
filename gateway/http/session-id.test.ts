import * as crypto from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { issueSessionId, readSessionId } from "@/gateway/http/session-id";
import { setEnvForTests } from "@/lib/env";

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, createHmac: vi.fn(actual.createHmac) };
});

const baseEnv = {
  NODE_ENV: "test",
  KEYCLOAK_ISSUER: "http://idp/realms/r",
  KEYCLOAK_CLIENT_ID: "c",
  KEYCLOAK_CLIENT_SECRET: "s",
  GATEHOUSE_KEYS: `s1:${crypto.randomBytes(32).toString("base64")}`,
  LOG_LEVEL: "silent",
};
beforeAll(() => {
  setEnvForTests(baseEnv);
});
afterEach(() => vi.useRealTimers());

const alice = { issuer: "http://idp/realms/r", sub: "alice-sub", clientId: "claude-code" };
const MCP = "http://localhost:3000/api/mcp";
const DAY = 86_400_000;
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// Fresh per test: ids are remembered by their text, and each test should verify its own.
let seq = 0;
const newSession = (extra: Partial<{ protocolVersion: string; elicitationUrl: boolean }> = {}) => ({
  protocolVersion: "2025-11-25",
  elicitationUrl: true,
  issuedAt: Math.floor(Date.now() / 1000) * 1000 - ++seq * 1000,
  ...extra,
});
const expected = (s: ReturnType<typeof newSession>) => ({ ...s, expiresAt: s.issuedAt + DAY });

describe("gateway session id", () => {
  it("carries the client's declared capabilities back to any replica, with its expiry", () => {
    const session = newSession();
    const id = issueSessionId(alice, MCP, session);
    expect(id).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(readSessionId(id, alice, MCP)).toEqual(expected(session));
  });

  it("is refused for another user, and when tampered with", () => {
    const id = issueSessionId(alice, MCP, newSession());
    expect(readSessionId(id, { ...alice, sub: "bob-sub" }, MCP)).toBeUndefined();
    expect(readSessionId(id, { ...alice, issuer: "http://other/realms/r" }, MCP)).toBeUndefined();
    const [payload, mac] = id.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), e: 0 })).toString(
      "base64url",
    );
    expect(readSessionId(`${forged}.${mac}`, alice, MCP)).toBeUndefined();
    expect(readSessionId("not-a-session", alice, MCP)).toBeUndefined();
  });

  it("is bound to the client that holds the token and to the exact endpoint", () => {
    const session = newSession();
    const id = issueSessionId(alice, MCP, session);
    expect(readSessionId(id, { ...alice, clientId: "other-client" }, MCP)).toBeUndefined();
    expect(readSessionId(id, { ...alice, clientId: undefined }, MCP)).toBeUndefined();
    expect(readSessionId(id, alice, `${MCP}/gitlab`)).toBeUndefined();
    expect(readSessionId(id, alice, MCP)).toEqual(expected(session));
    // A session opened at a backend's own endpoint is not one for /api/mcp either.
    const scoped = issueSessionId(alice, `${MCP}/gitlab`, newSession());
    expect(readSessionId(scoped, alice, MCP)).toBeUndefined();
    // A token without a client (a personal access token) gets a session bound to "no client".
    const pat = { issuer: alice.issuer, sub: alice.sub };
    const patId = issueSessionId(pat, MCP, newSession());
    expect(readSessionId(patId, pat, MCP)).toBeDefined();
    expect(readSessionId(patId, alice, MCP)).toBeUndefined();
  });

  it("expires after MCP_SESSION_TTL_SECONDS (24 h by default), remembered or not", () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ["Date"] });
    const session = newSession();
    const id = issueSessionId(alice, MCP, session);
    expect(readSessionId(id, alice, MCP)).toEqual(expected(session));
    vi.setSystemTime(session.issuedAt + DAY - 1000);
    expect(readSessionId(id, alice, MCP)).toBeDefined();
    vi.setSystemTime(session.issuedAt + DAY);
    expect(readSessionId(id, alice, MCP)).toBeUndefined();

    setEnvForTests({ ...baseEnv, MCP_SESSION_TTL_SECONDS: "3600" });
    try {
      vi.setSystemTime(Date.now());
      const short = newSession();
      const shortId = issueSessionId(alice, MCP, short);
      expect(readSessionId(shortId, alice, MCP)?.expiresAt).toBe(short.issuedAt + 3_600_000);
      vi.setSystemTime(short.issuedAt + 3_600_000);
      expect(readSessionId(shortId, alice, MCP)).toBeUndefined();
    } finally {
      setEnvForTests(baseEnv);
    }
  });

  it("accepts only the canonical spelling: no padding, no other alphabet, no stray bits, no extra parts", () => {
    const id = issueSessionId(alice, MCP, newSession());
    const [data, mac] = id.split(".") as [string, string];
    const bytes = Buffer.from(mac, "base64url");
    const std = bytes.toString("base64"); // the same bytes in standard base64, padded
    const variants = [
      `${data}.${mac}=`,
      `${data}.${std}`,
      `${data}.${std.replace(/=+$/, "")}`,
      // The last character carries 2 spare bits (32 bytes = 42 chars + 2 bits): flipping them decodes to the same bytes.
      `${data}.${mac.slice(0, -1)}${B64URL[B64URL.indexOf(mac.at(-1)!) ^ 1]}`,
      `${data}.${mac}.`,
      `${data}.${mac}.extra`,
      `${data} .${mac}`,
      `.${mac}`,
      `${data}.`,
    ];
    expect(Buffer.from(variants[3]!.split(".")[1]!, "base64url").equals(bytes)).toBe(true);
    // (Standard base64 of a MAC without + or / is the same text: only real re-spellings count.)
    for (const variant of variants.filter((v) => v !== id)) expect(readSessionId(variant, alice, MCP), variant).toBeUndefined();
    expect(readSessionId(id, alice, MCP)).toBeDefined();
  });

  it("a validly signed payload of the wrong shape is refused", async () => {
    // Signed with the real key, as a replica would: only the shape is wrong.
    const { getKeyring } = await import("@/lib/crypto/keyring");
    const key = Buffer.from(getKeyring().deriveSecret("mcp-session-id"), "base64url");
    const data = Buffer.from(JSON.stringify({ u: `${alice.issuer} ${alice.sub}`, v: "2025-11-25", e: 1, t: 1 })).toString("base64url");
    const mac = crypto.createHmac("sha256", key).update(data).digest("base64url");
    expect(readSessionId(`${data}.${mac}`, alice, MCP)).toBeUndefined();
  });

  it("is verified once, and a remembered id stays bound to its owner", () => {
    const session = newSession({ protocolVersion: "2025-06-18" });
    const id = issueSessionId(alice, MCP, session);
    const hmacs = vi.mocked(crypto.createHmac);
    hmacs.mockClear();
    expect(readSessionId(id, alice, MCP)).toEqual(expected(session));
    expect(hmacs).toHaveBeenCalledTimes(1);
    // Remembered now: bob presenting alice's id is still refused, and alice still gets her session.
    expect(readSessionId(id, { ...alice, sub: "bob-sub" }, MCP)).toBeUndefined();
    expect(readSessionId(id, alice, MCP)).toEqual(expected(session));
    expect(hmacs).toHaveBeenCalledTimes(1);
    // A caller mutating what it got does not change what the next call reads.
    readSessionId(id, alice, MCP)!.elicitationUrl = false;
    expect(readSessionId(id, alice, MCP)!.elicitationUrl).toBe(true);
  });

  it("an id first presented by someone else is verified and remembered for its real owner only", () => {
    const session = newSession();
    const id = issueSessionId(alice, MCP, session);
    expect(readSessionId(id, { ...alice, sub: "mallory" }, MCP)).toBeUndefined();
    expect(readSessionId(id, alice, MCP)).toEqual(expected(session));
    expect(readSessionId(id, { ...alice, sub: "mallory" }, MCP)).toBeUndefined();
  });

  it("a forged id is never remembered as valid", () => {
    const id = issueSessionId(alice, MCP, newSession());
    const forged = `${id.slice(0, id.indexOf("."))}.${"A".repeat(43)}`;
    const hmacs = vi.mocked(crypto.createHmac);
    hmacs.mockClear();
    expect(readSessionId(forged, alice, MCP)).toBeUndefined();
    expect(readSessionId(forged, alice, MCP)).toBeUndefined();
    expect(hmacs).toHaveBeenCalledTimes(2);
  });
});
