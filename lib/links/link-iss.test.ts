// RFC 9207 for an OIDC provider whose discovery document advertises
// `authorization_response_iss_parameter_supported` (the Keycloak-shaped realm, on oidc-provider):
// an answer without `iss` is refused before the code is exchanged; with the right one it links.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startKeycloak, type KeycloakServer } from "@/e2e/world/keycloak";
import { getDb } from "@/lib/db";
import { completeLink } from "@/lib/links/complete-link";
import { startLink } from "@/lib/links/start-link";
import { createProvider } from "@/lib/providers/create-provider";
import { redirectUriFor } from "@/lib/providers/redirect-uri";
import { startLinkTestStack, type LinkTestStack } from "@/testkit/link-stack";

const SLUG = "corp-sso";
let s: LinkTestStack;
let sso: KeycloakServer;
let providerId: string;
beforeAll(async () => {
  s = await startLinkTestStack();
  sso = await startKeycloak({
    realm: "corp",
    clients: [{ clientId: "gatehouse-link", clientSecret: "link-secret", redirectUris: [redirectUriFor(SLUG)] }],
  });
  providerId = (
    await createProvider(
      { kind: "oidc", slug: SLUG, displayName: "Corp SSO", baseUrl: sso.issuer, clientId: "gatehouse-link", clientSecret: "link-secret" },
      { userId: null },
    )
  ).id;
});
afterAll(async () => {
  await sso?.close();
  await s?.close();
});
beforeEach(() => getDb().linkedAccount.deleteMany({ where: { providerId } }));

/** Start, sign in at the realm as alice, and return the redirect back to Gatehouse. */
async function authorize(): Promise<URL> {
  const { authorizationUrl } = await startLink({ userId: s.alice.id, providerSlug: SLUG });
  return new URL(await sso.authorizeAs(authorizationUrl, "alice", "alice-password"));
}

const linkRow = () => getDb().linkedAccount.findUnique({ where: { userId_providerId: { userId: s.alice.id, providerId } } });

describe("[link] RFC 9207 iss for an OIDC provider that advertises it", () => {
  it("the realm advertises it and sends iss (the premise)", async () => {
    const doc = (await (await fetch(`${sso.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc.authorization_response_iss_parameter_supported).toBe(true);
    expect((await authorize()).searchParams.get("iss")).toBe(sso.issuer);
  });

  it("an answer without iss is refused with a clear message, and nothing is stored", async () => {
    const callback = await authorize();
    callback.searchParams.delete("iss");
    const result = await completeLink({ userId: s.alice.id, providerSlug: SLUG, params: callback.searchParams });
    expect(result).toMatchObject({ ok: false, reason: "issuer_missing" });
    expect(result.ok || result.message).toMatch(/did not say which server sent it, though Corp SSO always says so \(RFC 9207 `iss`\)/);
    expect(await linkRow()).toBeNull();
  });

  it("an answer with another issuer is refused", async () => {
    const callback = await authorize();
    callback.searchParams.set("iss", "http://127.0.0.1:1/realms/evil");
    expect(await completeLink({ userId: s.alice.id, providerSlug: SLUG, params: callback.searchParams })).toMatchObject({
      ok: false,
      reason: "issuer_mismatch",
    });
    expect(await linkRow()).toBeNull();
  });

  it("an answer with the provider's own iss links", async () => {
    const callback = await authorize();
    const result = await completeLink({ userId: s.alice.id, providerSlug: SLUG, params: callback.searchParams });
    expect(result).toMatchObject({ ok: true, link: { externalName: "alice", status: "active" } });
    expect(await linkRow()).not.toBeNull();
  });
});
