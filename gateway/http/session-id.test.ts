import * as crypto from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setEnvForTests } from "@/lib/env";
import { issueSessionId, readSessionId } from "@/gateway/http/session-id";

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, createHmac: vi.fn(actual.createHmac) };
});

beforeAll(() => {
  setEnvForTests({ NODE_ENV: "test", KEYCLOAK_ISSUER: "http://idp/realms/r", KEYCLOAK_CLIENT_ID: "c", KEYCLOAK_CLIENT_SECRET: "s", GATEHOUSE_KEYS: `s1:${crypto.randomBytes(32).toString("base64")}`, LOG_LEVEL: "silent" });
});

const alice = { issuer: "http://idp/realms/r", sub: "alice-sub" };
const session = { protocolVersion: "2025-11-25", elicitationUrl: true, issuedAt: 1_700_000_000_000 };

describe("gateway session id", () => {
  it("carries the client's declared capabilities back to any replica", () => {
    const id = issueSessionId(alice, session);
    expect(id).toMatch(/^[\x21-\x7e]+$/);
    expect(readSessionId(id, alice)).toEqual(session);
  });

  it("is refused for another user, and when tampered with", () => {
    const id = issueSessionId(alice, session);
    expect(readSessionId(id, { ...alice, sub: "bob-sub" })).toBeUndefined();
    expect(readSessionId(id, { ...alice, issuer: "http://other/realms/r" })).toBeUndefined();
    const [payload, mac] = id.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), e: 0 })).toString("base64url");
    expect(readSessionId(`${forged}.${mac}`, alice)).toBeUndefined();
    expect(readSessionId("not-a-session", alice)).toBeUndefined();
  });

  it("is verified once, and a remembered id stays bound to its owner", () => {
    const id = issueSessionId(alice, { ...session, protocolVersion: "2025-06-18" });
    const hmacs = vi.mocked(crypto.createHmac);
    hmacs.mockClear();
    expect(readSessionId(id, alice)).toEqual({ ...session, protocolVersion: "2025-06-18" });
    expect(hmacs).toHaveBeenCalledTimes(1);
    // Remembered now: bob presenting alice's id is still refused, and alice still gets her session.
    expect(readSessionId(id, { ...alice, sub: "bob-sub" })).toBeUndefined();
    expect(readSessionId(id, alice)).toEqual({ ...session, protocolVersion: "2025-06-18" });
    expect(hmacs).toHaveBeenCalledTimes(1);
    // A caller mutating what it got does not change what the next call reads.
    readSessionId(id, alice)!.elicitationUrl = false;
    expect(readSessionId(id, alice)!.elicitationUrl).toBe(true);
  });

  it("an id first presented by someone else is verified and remembered for its real owner only", () => {
    const id = issueSessionId(alice, { ...session, issuedAt: 1_700_000_001_000 });
    expect(readSessionId(id, { ...alice, sub: "mallory" })).toBeUndefined();
    expect(readSessionId(id, alice)).toEqual({ ...session, issuedAt: 1_700_000_001_000 });
    expect(readSessionId(id, { ...alice, sub: "mallory" })).toBeUndefined();
  });

  it("a forged id is never remembered as valid", () => {
    const id = issueSessionId(alice, session);
    const forged = `${id.slice(0, id.indexOf("."))}.${"A".repeat(43)}`;
    const hmacs = vi.mocked(crypto.createHmac);
    hmacs.mockClear();
    expect(readSessionId(forged, alice)).toBeUndefined();
    expect(readSessionId(forged, alice)).toBeUndefined();
    expect(hmacs).toHaveBeenCalledTimes(2);
  });
});
