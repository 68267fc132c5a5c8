// Provider CRUD, presets and discovery against a real database and the test world.
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { onChange, type ChangeEvent } from "@/lib/events";
import { createProvider } from "@/lib/providers/create-provider";
import { deleteProvider } from "@/lib/providers/delete-provider";
import { findProviders } from "@/lib/providers/find-providers";
import { getProvider } from "@/lib/providers/get-provider";
import { getProviderBySlug } from "@/lib/providers/get-provider-by-slug";
import { getProviderOAuth } from "@/lib/providers/get-provider-oauth";
import { providerInputSchema, type ProviderInput } from "@/lib/providers/provider-input-schema";
import { redirectUriFor } from "@/lib/providers/redirect-uri";
import { updateProvider } from "@/lib/providers/update-provider";
import { startLinkTestStack, type LinkTestStack } from "@/testkit/link-stack";

let s: LinkTestStack;
const events: ChangeEvent[] = [];
beforeAll(async () => {
  s = await startLinkTestStack();
  onChange((e) => events.push(e));
});
afterAll(() => s?.close());

const SECRET = "super-secret-client-secret-42";
const gitlabInput = (slug: string, extra: Partial<ProviderInput> = {}) =>
  ({
    kind: "gitlab",
    slug,
    displayName: "GitLab EE",
    baseUrl: "https://gitlab.example.com/",
    clientId: "app-1",
    clientSecret: SECRET,
    ...extra,
  }) as ProviderInput;

describe("[providers] input schema and presets", () => {
  it("GitLab: endpoints from the base URL, default scopes mcp read_user", async () => {
    const p = await createProvider(gitlabInput("gl-preset"), { userId: s.alice.id });
    expect(p).toMatchObject({
      baseUrl: "https://gitlab.example.com",
      authorizationEndpoint: "https://gitlab.example.com/oauth/authorize",
      tokenEndpoint: "https://gitlab.example.com/oauth/token",
      revocationEndpoint: "https://gitlab.example.com/oauth/revoke",
      userinfoEndpoint: "https://gitlab.example.com/oauth/token/info",
      scopes: ["mcp", "read_user"],
      clientSecretSet: true,
    });
  });

  it("GitHub: github.com endpoints and its own revoke", async () => {
    const p = await createProvider(
      { kind: "github", slug: "gh", displayName: "GitHub", clientId: "Iv1.x", clientSecret: SECRET },
      { userId: null },
    );
    expect(p).toMatchObject({
      authorizationEndpoint: "https://github.com/login/oauth/authorize",
      tokenEndpoint: "https://github.com/login/oauth/access_token",
      revocationEndpoint: "https://api.github.com/applications/{client_id}/grant",
      userinfoEndpoint: "https://api.github.com/user",
    });
  });

  it("OIDC: endpoints from the issuer's discovery document; a wrong issuer is a field error", async () => {
    const p = await createProvider(
      { kind: "oidc", slug: "kc", displayName: "Keycloak", baseUrl: s.world.keycloak.issuer, clientId: "c", clientSecret: SECRET },
      { userId: null },
    );
    expect(p.baseUrl).toBe(s.world.keycloak.issuer);
    expect(p.tokenEndpoint).toBe(`${s.world.keycloak.issuer}/protocol/openid-connect/token`);
    expect(p.scopes).toEqual(["openid", "profile", "email"]);
    await expect(
      createProvider(
        { kind: "oidc", slug: "kc2", displayName: "K", baseUrl: s.world.gitlab.url + "/nope", clientId: "c", clientSecret: SECRET },
        { userId: null },
      ),
    ).rejects.toMatchObject({
      code: "validation",
      fields: { baseUrl: [expect.stringContaining("discovery")] },
    });
  });

  it("refuses plain http except on loopback, bad slugs, bad scopes; takes scopes as a string or a list", () => {
    const bad = providerInputSchema.safeParse({ ...gitlabInput("x"), baseUrl: "http://gitlab.example.com" });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain("https");
    expect(providerInputSchema.safeParse({ ...gitlabInput("x"), baseUrl: "http://127.0.0.1:8080" }).success).toBe(true);
    expect(providerInputSchema.safeParse({ ...gitlabInput("Bad Slug") }).success).toBe(false);
    expect(providerInputSchema.safeParse({ ...gitlabInput("x"), scopes: 'mcp "api"' }).success).toBe(false);
    expect(providerInputSchema.parse({ ...gitlabInput("x"), scopes: "mcp, read_user api" }).scopes).toEqual(["mcp", "read_user", "api"]);
    expect(providerInputSchema.parse({ ...gitlabInput("x"), scopes: ["mcp"], enabled: "off" })).toMatchObject({
      scopes: ["mcp"],
      enabled: false,
    });
    expect(
      providerInputSchema.safeParse({ kind: "oauth2", slug: "o", displayName: "O", clientId: "c", authorizationEndpoint: "https://a/x" })
        .success,
    ).toBe(false);
  });

  it("the redirect URI is exact per provider", () => {
    expect(redirectUriFor("gitlab")).toBe("http://127.0.0.1:39999/api/links/gitlab/callback");
  });

  it("oauth4webapi may use http only for a loopback provider", async () => {
    const local = await getProviderOAuth({ slug: "gitlab" });
    const remote = await getProviderOAuth({ slug: "gl-preset" });
    expect(local.http()[oauth.allowInsecureRequests]).toBe(true);
    expect(remote.http()[oauth.allowInsecureRequests]).toBe(false);
  });
});

describe("[providers] the client secret is write-only", () => {
  it("is encrypted, never returned, never audited; update without it keeps it, with it replaces it", async () => {
    const created = await createProvider(gitlabInput("gl-secret"), { userId: s.alice.id });
    const row = await getDb().provider.findUnique({ where: { id: created.id } });
    expect(row!.clientSecretEnc).toMatch(/^v1\./);
    expect(row!.clientSecretEnc).not.toContain(SECRET);
    for (const shape of [created, await getProvider(created.id), await getProviderBySlug("gl-secret"), await findProviders()]) {
      expect(JSON.stringify(shape)).not.toContain(SECRET);
      expect(JSON.stringify(shape)).not.toContain("clientSecretEnc");
    }

    const renamed = await updateProvider(
      created.id,
      { ...gitlabInput("gl-secret"), displayName: "Renamed", clientSecret: "" },
      { userId: s.alice.id },
    );
    expect(renamed).toMatchObject({ displayName: "Renamed", clientSecretSet: true });
    expect((await getDb().provider.findUnique({ where: { id: created.id } }))!.clientSecretEnc).toBe(row!.clientSecretEnc);
    expect((await getProviderOAuth({ id: created.id })).clientSecret).toBe(SECRET);

    await updateProvider(created.id, { ...gitlabInput("gl-secret"), clientSecret: "new-secret-value" }, { userId: s.alice.id });
    expect((await getProviderOAuth({ id: created.id })).clientSecret).toBe("new-secret-value");

    await flushAudit();
    const audit = await getDb().auditEvent.findMany({
      where: { provider: "gl-secret" },
      orderBy: { at: "asc" },
      select: { action: true, userId: true, detail: true },
    });
    expect(audit.map((a) => a.action)).toEqual(["admin.provider.create", "admin.provider.update", "admin.provider.update"]);
    expect(audit.every((a) => a.userId === s.alice.id)).toBe(true);
    expect(audit[2]!.detail).toMatchObject({ secretChanged: true });
    expect(JSON.stringify(audit)).not.toMatch(/super-secret|new-secret-value/);
    expect(events).toContainEqual({ kind: "provider", id: created.id });
  });

  it("a new provider needs a secret", async () => {
    await expect(createProvider({ ...gitlabInput("gl-nosecret"), clientSecret: undefined }, { userId: null })).rejects.toMatchObject({
      code: "validation",
      fields: { clientSecret: ["is required"] },
    });
  });
});

describe("[providers] lookup, conflicts and delete", () => {
  it("a taken slug is a conflict; unknown ids and slugs are not_found", async () => {
    await createProvider(gitlabInput("gl-dup"), { userId: null });
    await expect(createProvider(gitlabInput("gl-dup"), { userId: null })).rejects.toMatchObject({
      code: "conflict",
      fields: { slug: [expect.any(String)] },
    });
    await expect(getProvider("00000000-0000-0000-0000-000000000000")).rejects.toMatchObject({ code: "not_found" });
    await expect(getProviderBySlug("nope")).rejects.toMatchObject({ code: "not_found" });
    await expect(updateProvider("00000000-0000-0000-0000-000000000000", gitlabInput("zz"), { userId: null })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("findProviders({ enabledOnly }) leaves disabled ones out", async () => {
    const off = await createProvider({ ...gitlabInput("gl-off"), enabled: false }, { userId: null });
    expect((await findProviders()).map((p) => p.id)).toContain(off.id);
    expect((await findProviders({ enabledOnly: true })).map((p) => p.id)).not.toContain(off.id);
  });

  it("delete refuses while backends use the provider, naming them; then deletes", async () => {
    const p = await createProvider(gitlabInput("gl-used"), { userId: null });
    for (const slug of ["issues", "wiki"]) {
      await getDb().backend.create({
        data: { slug, displayName: slug, url: "https://mcp.example.com", authMode: "linked_account", providerId: p.id },
      });
    }
    await expect(deleteProvider(p.id, { userId: null })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("issues, wiki"),
    });
    await getDb().backend.deleteMany({ where: { providerId: p.id } });
    await deleteProvider(p.id, { userId: s.alice.id });
    await expect(getProvider(p.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteProvider(p.id, { userId: null })).rejects.toMatchObject({ code: "not_found" });
  });
});
