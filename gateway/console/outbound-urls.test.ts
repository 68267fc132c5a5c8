// The outbound URL policy at the places an admin supplies URLs: backends and providers refuse
// internal addresses when saved, and a row that holds one anyway (saved under an older policy) is
// refused by Test connection and discovery before any request leaves the process.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { testBackendConnection } from "@/gateway/console/test-connection";
import type { BackendInput } from "@/lib/backends/backend-schema";
import { createBackend } from "@/lib/backends/create-backend";
import { updateBackend } from "@/lib/backends/update-backend";
import { getDb } from "@/lib/db";
import { createProvider } from "@/lib/providers/create-provider";
import { startTestEnv, type TestEnv } from "@/testkit/console-stack";
import { spyOnOutboundConnections } from "@/testkit/outbound-connections";

let env: TestEnv;
let admin: { userId: string };
beforeAll(async () => {
  env = await startTestEnv();
  admin = {
    userId: (
      await getDb().user.create({ data: { issuer: "https://idp", sub: "outbound-tester", username: "admin" }, select: { id: true } })
    ).id,
  };
});
afterAll(() => env?.close());
afterEach(() => vi.restoreAllMocks());

const make = (slug: string, url: string, auth: BackendInput["auth"] = { mode: "none" }) =>
  createBackend({ slug, displayName: slug, url, auth }, { userId: null });

describe("[outbound] backends", () => {
  it("a backend URL, token endpoint or inbound issuer on an internal address is a field error when saved", async () => {
    await expect(make("o-meta", "http://169.254.169.254/latest/meta-data/")).rejects.toMatchObject({
      code: "validation",
      fields: { url: [expect.stringMatching(/^refused: .*plain http/)] },
    });
    await expect(make("o-private", "https://10.0.0.1/mcp")).rejects.toMatchObject({
      code: "validation",
      fields: { url: ["refused: 10.0.0.1 is a private address; allow the host with OUTBOUND_ALLOWED_HOSTS=10.0.0.1:443"] },
    });
    await expect(
      make("o-cc", env.world.backends.open.url, {
        mode: "client_credentials",
        tokenEndpoint: "https://[::ffff:169.254.169.254]/token",
        clientId: "c",
        clientSecret: "s",
      }),
    ).rejects.toMatchObject({ fields: { "auth.tokenEndpoint": [expect.stringContaining("link-local address")] } });
    const ok = await make("o-ok", env.world.backends.open.url);
    await expect(
      updateBackend(ok.id, { inboundIssuer: "https://192.168.0.10/realms/x", inboundAudience: "a" }, { userId: null }),
    ).rejects.toMatchObject({
      fields: { inboundIssuer: [expect.stringContaining("192.168.0.10 is a private address")] },
    });
    expect(await getDb().backend.count({ where: { slug: { in: ["o-meta", "o-private", "o-cc"] } } })).toBe(0);
  });

  for (const url of ["http://169.254.169.254/", "http://10.0.0.1/"]) {
    it(`Test connection to ${url} (saved under an older policy) is refused without a request leaving the process`, async () => {
      const b = await make(`o-${url.includes("169") ? "meta" : "ten"}-row`, env.world.backends.open.url);
      await getDb().backend.update({ where: { id: b.id }, data: { url } });
      const connections = spyOnOutboundConnections();
      const r = await testBackendConnection(b.id, { admin });
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(new RegExp(`^Not connecting to ${url.replace(/[./]/g, "\\$&")}: refused: `));
      expect(connections.count()).toBe(0);
    });
  }

  it("Test connection refuses a client-credentials token endpoint on a private address, sending nothing", async () => {
    const b = await make("o-cc-row", env.world.backends.open.url, {
      mode: "client_credentials",
      tokenEndpoint: env.world.keycloak.tokenEndpoint,
      clientId: "c",
      clientSecret: "s",
    });
    const row = await getDb().backend.findUniqueOrThrow({ where: { id: b.id }, select: { authConfig: true } });
    await getDb().backend.update({
      where: { id: b.id },
      data: { authConfig: { ...(row.authConfig as object), tokenEndpoint: "https://10.0.0.1/token" } },
    });
    const connections = spyOnOutboundConnections();
    const r = await testBackendConnection(b.id, { admin });
    expect(r.message).toBe(
      'Could not get a credential for the backend: Backend "o-cc-row": the client credentials grant failed: refused: 10.0.0.1 is a private address; allow the host with OUTBOUND_ALLOWED_HOSTS=10.0.0.1:443',
    );
    expect(connections.count()).toBe(0);
  });
});

describe("[outbound] providers", () => {
  it("OIDC discovery at a metadata or private address is refused as a field error, without a request", async () => {
    const connections = spyOnOutboundConnections();
    for (const baseUrl of ["https://169.254.169.254", "https://10.0.0.1/realms/x"]) {
      await expect(
        createProvider({ kind: "oidc", slug: "o-oidc", displayName: "O", baseUrl, clientId: "c", clientSecret: "s" }, { userId: null }),
      ).rejects.toMatchObject({
        code: "validation",
        fields: { baseUrl: [expect.stringMatching(/^refused: .* is a (link-local|private) address/)] },
      });
    }
    await expect(
      createProvider(
        {
          kind: "oauth2",
          slug: "o-oauth2",
          displayName: "O",
          authorizationEndpoint: "https://auth.example.com/authorize",
          tokenEndpoint: "https://192.168.1.1/token",
          userinfoEndpoint: "https://auth.example.com/me",
          clientId: "c",
          clientSecret: "s",
        },
        { userId: null },
      ),
    ).rejects.toMatchObject({ fields: { tokenEndpoint: [expect.stringContaining("192.168.1.1 is a private address")] } });
    expect(connections.count()).toBe(0);
  });
});
