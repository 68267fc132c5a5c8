// The sealed requestState on its own: what it is bound to, and what opens it.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { openRequestState, requestHash, sealRequestState } from "@/gateway/client-input/sealed-request-state";
import { setEnvForTests } from "@/lib/env";

beforeAll(() => {
  setEnvForTests({
    NODE_ENV: "test",
    KEYCLOAK_ISSUER: "http://idp/realms/r",
    KEYCLOAK_CLIENT_ID: "c",
    KEYCLOAK_CLIENT_SECRET: "s",
    GATEHOUSE_KEYS: `s1:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: "silent",
  });
});

const alice = { owner: "http://idp/realms/r alice" };
const content = { holder: "replica-1", round: "round-1", backend: "old", request: "hash", expiresAt: 2_000 };

describe("[gateway] a sealed requestState", () => {
  it("opens for the user and endpoint it was sealed for, until it expires", () => {
    const state = sealRequestState(alice, content);
    expect(openRequestState(alice, state, 1_999)).toEqual(content);
    expect(openRequestState(alice, state, 2_000)).toEqual({ problem: expect.stringMatching(/expired/) });
    expect(openRequestState({ owner: "http://idp/realms/r bob" }, state, 1_000)).toEqual({ problem: expect.stringMatching(/not one/) });
    expect(openRequestState({ ...alice, slug: "old" }, state, 1_000)).toEqual({ problem: expect.stringMatching(/not one/) });
    expect(openRequestState(alice, 42, 1_000)).toEqual({ problem: expect.stringMatching(/must be the string/) });
  });

  it("is bound to the request whatever the key order, without what a retry adds", () => {
    const first = { method: "tools/call", params: { name: "old_ask_name", arguments: { a: 1, b: [2, { c: 3 }] } } };
    const retry = {
      method: "tools/call",
      params: { arguments: { b: [2, { c: 3 }], a: 1 }, name: "old_ask_name", inputResponses: { x: {} }, requestState: "s", _meta: {} },
    };
    expect(requestHash(retry)).toBe(requestHash(first));
    expect(requestHash({ ...first, params: { ...first.params, arguments: { a: 2, b: [2, { c: 3 }] } } })).not.toBe(requestHash(first));
    expect(requestHash({ ...first, method: "prompts/get" })).not.toBe(requestHash(first));
  });
});
