import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { setEnvForTests } from "../lib/env";
import { issueSessionId, readSessionId } from "./session-id";

beforeAll(() => {
  setEnvForTests({ NODE_ENV: "test", KEYCLOAK_ISSUER: "http://idp/realms/r", KEYCLOAK_CLIENT_ID: "c", KEYCLOAK_CLIENT_SECRET: "s", GATEHOUSE_KEYS: `s1:${randomBytes(32).toString("base64")}`, LOG_LEVEL: "silent" });
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
});
