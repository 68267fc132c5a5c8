// Token exchange and client credentials against an injected token endpoint: the caller's token is the
// subject, Keycloak V2 parameters are sent, results are cached per user and backend until 30 s
// before they expire, and concurrent requests share one exchange.
import { describe, expect, it } from "vitest";
import { createCredentialStore } from "@/gateway/credentials/credentials";
import type { McpCaller } from "@/gateway/types";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { AppError } from "@/lib/errors";

const exchange: RuntimeBackend = {
  id: "b1",
  slug: "tickets",
  displayName: "Tickets",
  url: "http://t/mcp",
  transport: "streamable_http",
  timeoutMs: 1000,
  prefix: "tickets_",
  toolAllow: [],
  toolDeny: [],
  visibleToRoles: [],
  visibleToGroups: [],
  auditArguments: false,
  version: "v1",
  auth: {
    mode: "token_exchange",
    tokenEndpoint: "http://idp/token",
    clientId: "gatehouse",
    clientSecret: "s3cret",
    audience: "tickets-api",
    scope: "tickets",
  },
};
const caller = (userId: string): McpCaller => ({
  userId,
  issuer: "http://idp",
  sub: `${userId}-sub`,
  username: null,
  roles: [],
  groups: [],
  isAdmin: false,
  token: `inbound-${userId}`,
});

function tokenEndpoint(expiresIn: number) {
  const requests: { body: URLSearchParams; authorization: string | null }[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    const body = new URLSearchParams(init.body as URLSearchParams);
    requests.push({ body, authorization: new Headers(init.headers).get("authorization") });
    await new Promise((r) => setTimeout(r, 5));
    return Response.json({ access_token: `exchanged-${requests.length}`, expires_in: expiresIn, token_type: "Bearer" });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe("credential store", () => {
  it("exchanges the caller's token with Keycloak V2 parameters and client authentication", async () => {
    const endpoint = tokenEndpoint(300);
    const store = createCredentialStore({ fetch: endpoint.fetch });
    const credential = await store.forBackend(exchange, caller("u1"));
    expect(credential.headers).toEqual({ authorization: "Bearer exchanged-1" });
    const { body, authorization } = endpoint.requests[0]!;
    expect(Object.fromEntries(body)).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: "inbound-u1",
      subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
      requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
      audience: "tickets-api",
      scope: "tickets",
    });
    expect(body.has("resource")).toBe(false);
    expect(authorization).toBe(`Basic ${Buffer.from("gatehouse:s3cret").toString("base64")}`);
  });

  it("caches per user and backend, and shares one exchange between concurrent calls", async () => {
    const endpoint = tokenEndpoint(300);
    const store = createCredentialStore({ fetch: endpoint.fetch });
    const results = await Promise.all([1, 2, 3].map(() => store.forBackend(exchange, caller("u1"))));
    expect(new Set(results.map((r) => r.headers.authorization)).size).toBe(1);
    await store.forBackend(exchange, caller("u1"));
    expect(endpoint.requests).toHaveLength(1);
    const other = await store.forBackend(exchange, caller("u2"));
    expect(other.headers.authorization).toBe("Bearer exchanged-2");
    expect(other.identity).not.toBe(results[0]!.identity);
    store.dropBackend(exchange.id);
    await store.forBackend(exchange, caller("u1"));
    expect(endpoint.requests).toHaveLength(3);
  });

  it("does not keep a token that expires within 30 s", async () => {
    const endpoint = tokenEndpoint(20);
    const store = createCredentialStore({ fetch: endpoint.fetch });
    await store.forBackend(exchange, caller("u1"));
    await store.forBackend(exchange, caller("u1"));
    expect(endpoint.requests).toHaveLength(2);
  });

  it("client credentials: one token for all callers", async () => {
    const endpoint = tokenEndpoint(300);
    const store = createCredentialStore({ fetch: endpoint.fetch });
    const backend: RuntimeBackend = {
      ...exchange,
      auth: { mode: "client_credentials", tokenEndpoint: "http://idp/token", clientId: "svc", clientSecret: "x" },
    };
    const [a, b] = [await store.forBackend(backend, caller("u1")), await store.forBackend(backend, caller("u2"))];
    expect(a).toEqual(b);
    expect(Object.fromEntries(endpoint.requests[0]!.body)).toEqual({ grant_type: "client_credentials" });
    expect(endpoint.requests).toHaveLength(1);
  });

  it("a refused exchange is an upstream error naming the backend and the endpoint's reason", async () => {
    const fetch = (async () =>
      Response.json(
        { error: "access_denied", error_description: "Client not allowed" },
        { status: 403 },
      )) as unknown as typeof globalThis.fetch;
    const store = createCredentialStore({ fetch });
    const error = await Promise.resolve(store.forBackend(exchange, caller("u1"))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('Backend "Tickets"');
    expect((error as AppError).message).toContain("access_denied: Client not allowed");
    expect((error as AppError).message).not.toContain("inbound-u1");
  });

  it("a linked-account backend without a link throws link_required from the token broker", async () => {
    const linked: RuntimeBackend = {
      ...exchange,
      auth: { mode: "linked_account", providerId: "p1", providerSlug: "gitlab", providerName: "GitLab" },
    };
    const store = createCredentialStore({
      linkToken: async () => Promise.reject(new AppError("link_required", "No GitLab account is linked yet.")),
    });
    await expect(store.forBackend(linked, caller("u1"))).rejects.toMatchObject({ code: "link_required" });
  });
});
