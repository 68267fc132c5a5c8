// createBackend / updateBackend / deleteBackend / setBackendEnabled against a real (PGlite) database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackendInput } from "@/lib/backends/backend-schema";
import { createBackend } from "@/lib/backends/create-backend";
import { deleteBackend } from "@/lib/backends/delete-backend";
import { findBackends } from "@/lib/backends/find-backends";
import { getBackend } from "@/lib/backends/get-backend";
import { setBackendEnabled } from "@/lib/backends/set-backend-enabled";
import { updateBackend } from "@/lib/backends/update-backend";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { onChange, type ChangeEvent } from "@/lib/events";
import { startTestEnv, type TestEnv } from "@/testkit/console-stack";

let env: TestEnv;
let actor: { userId: string };
let providerId: string;
const events: ChangeEvent[] = [];
beforeAll(async () => {
  env = await startTestEnv();
  const db = getDb();
  actor = await db.user
    .create({ data: { issuer: "https://idp", sub: `admin-${Date.now()}`, username: "admin" }, select: { id: true } })
    .then((u) => ({ userId: u.id }));
  providerId = (
    await db.provider.create({
      data: {
        slug: "gl",
        kind: "gitlab",
        displayName: "GitLab",
        authorizationEndpoint: "https://gl/oauth/authorize",
        tokenEndpoint: "https://gl/oauth/token",
        clientId: "app",
      },
      select: { id: true },
    })
  ).id;
  onChange((e) => events.push(e));
});
afterAll(() => env?.close());

const input = (slug: string, auth: BackendInput["auth"]): BackendInput => ({
  slug,
  displayName: slug,
  url: `https://${slug}.example.com/mcp`,
  auth,
});
const appError = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
};
const auditFor = (backend: string) =>
  getDb().auditEvent.findMany({ where: { backend }, orderBy: { at: "asc" }, select: { action: true, userId: true, detail: true } });

describe("backends", () => {
  it("creates one backend per mode; the secret is encrypted, bound to the row, and never returned", async () => {
    const secret = "sk-create-secret-123";
    const created = await Promise.all([
      createBackend(input("b-none", { mode: "none" }), actor),
      createBackend(input("b-static", { mode: "static_header", headerName: "X-Api-Key", value: secret }), actor),
      createBackend(
        input("b-exchange", { mode: "token_exchange", clientId: "gatehouse", clientSecret: secret, audience: "tickets" }),
        actor,
      ),
      createBackend(input("b-linked", { mode: "linked_account", providerId }), actor),
      createBackend(
        input("b-cc", {
          mode: "client_credentials",
          tokenEndpoint: "https://idp/token",
          clientId: "svc",
          clientSecret: secret,
          scope: "read",
        }),
        actor,
      ),
    ]);
    expect(JSON.stringify(created)).not.toContain(secret);
    expect(JSON.stringify(await findBackends())).not.toContain(secret);
    const [none, staticB, exchange, linked, cc] = created;
    expect(none!.auth).toEqual({ mode: "none", secretSet: false, secretSetAt: null });
    expect(staticB!.auth).toMatchObject({ mode: "static_header", headerName: "X-Api-Key", secretSet: true });
    // The token endpoint defaults to the sign-in issuer's.
    expect(exchange!.auth).toMatchObject({
      tokenEndpoint: `${env.world.keycloak.issuer}/protocol/openid-connect/token`,
      audience: "tickets",
    });
    expect(linked!.auth).toMatchObject({ mode: "linked_account", providerId, provider: { slug: "gl" }, secretSet: false });
    expect(cc!.effectiveToolPrefix).toBe("b-cc_");

    const row = await getDb().backend.findUniqueOrThrow({ where: { id: staticB!.id }, select: { secretEnc: true, authConfig: true } });
    expect(row.secretEnc).not.toContain(secret);
    expect(JSON.stringify(row.authConfig)).not.toContain(secret);
    expect(getKeyring().decrypt(row.secretEnc!, { table: "Backend", id: staticB!.id, field: "secretEnc" })).toBe(secret);
    expect(() => getKeyring().decrypt(row.secretEnc!, { table: "Backend", id: none!.id, field: "secretEnc" })).toThrow();

    expect(await auditFor("b-static")).toEqual([
      { action: "admin.backend.create", userId: actor.userId, detail: { authMode: "static_header", enabled: true } },
    ]);
    expect(events).toContainEqual({ kind: "backend", id: staticB!.id });
  });

  it("answers 409 for a slug that is taken, on create and on rename, and changes nothing", async () => {
    const a = await createBackend(input("dup-a", { mode: "none" }), actor);
    await createBackend(input("dup-b", { mode: "none" }), actor);
    const e = await appError(createBackend({ ...input("dup-a", { mode: "none" }), url: "https://other.example.com" }, actor));
    expect([e.status, e.fields]).toEqual([409, { slug: ['"dup-a" is already used by another backend'] }]);
    expect((await appError(updateBackend(a.id, { slug: "dup-b" }, actor))).status).toBe(409);
    expect((await getBackend(a.id)).url).toBe("https://dup-a.example.com/mcp");
  });

  it("keeps the secret when an edit omits it, replaces it when given, and audits only field names", async () => {
    const b = await createBackend(input("edit-me", { mode: "static_header", headerName: "X-Key", value: "first-secret" }), actor);
    const read = async () => {
      const r = await getDb().backend.findUniqueOrThrow({ where: { id: b.id }, select: { secretEnc: true, secretSetAt: true } });
      return { secret: getKeyring().decrypt(r.secretEnc!, { table: "Backend", id: b.id, field: "secretEnc" }), at: r.secretSetAt };
    };
    const before = await read();
    const edited = await updateBackend(
      b.id,
      { displayName: "Edited", timeoutMs: 5000, auth: { mode: "static_header", headerName: "X-Other" } },
      actor,
    );
    expect(edited).toMatchObject({ displayName: "Edited", timeoutMs: 5000, auth: { headerName: "X-Other", secretSet: true } });
    expect(await read()).toEqual(before);

    await updateBackend(b.id, { auth: { mode: "static_header", headerName: "X-Other", value: "second-secret" } }, actor);
    expect((await read()).secret).toBe("second-secret");

    const audit = await auditFor("edit-me");
    expect(audit.map((a) => a.detail)).toEqual([
      { authMode: "static_header", enabled: true },
      { changed: ["displayName", "timeoutMs", "auth.headerName"] },
      { changed: ["auth.secret"] },
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/first-secret|second-secret/);
  });

  it("requires a new secret when the mode changes to one that needs it, and drops it for one that does not", async () => {
    const b = await createBackend(input("switch", { mode: "static_header", headerName: "X-Key", value: "s1" }), actor);
    const e = await appError(
      updateBackend(b.id, { auth: { mode: "client_credentials", tokenEndpoint: "https://idp/token", clientId: "svc" } }, actor),
    );
    expect([e.status, e.fields]).toEqual([422, { "auth.clientSecret": ["is required when switching to this mode"] }]);
    expect((await getBackend(b.id)).auth.mode).toBe("static_header");

    const none = await updateBackend(b.id, { auth: { mode: "none" } }, actor);
    expect(none.auth).toEqual({ mode: "none", secretSet: false, secretSetAt: null });
    expect((await getDb().backend.findUniqueOrThrow({ where: { id: b.id }, select: { secretEnc: true } })).secretEnc).toBeNull();
  });

  it("refuses a linked_account backend naming no existing provider, and bad patches, with field errors", async () => {
    const e = await appError(
      createBackend(input("no-provider", { mode: "linked_account", providerId: "00000000-0000-4000-8000-000000000000" }), actor),
    );
    expect([e.status, e.fields]).toEqual([422, { "auth.providerId": ["no provider has this id"] }]);
    const b = await createBackend(input("patch-bad", { mode: "none" }), actor);
    expect((await appError(updateBackend(b.id, { url: "file:///etc/passwd" }, actor))).fields).toEqual({
      url: ["must be an http:// or https:// URL"],
    });
    expect((await appError(updateBackend(b.id, { inboundIssuer: "https://other" }, actor))).fields).toEqual({
      inboundAudience: ["is required when an inbound issuer is set"],
    });
    expect((await appError(updateBackend("nope", { displayName: "x" }, actor))).status).toBe(404);
  });

  it("enables, disables and deletes, auditing each change once", async () => {
    const b = await createBackend(input("toggle", { mode: "none" }), actor);
    expect((await setBackendEnabled(b.id, false, actor)).enabled).toBe(false);
    await setBackendEnabled(b.id, false, actor);
    await setBackendEnabled(b.id, true, actor);
    expect(await deleteBackend(b.id, actor)).toEqual({ id: b.id, slug: "toggle" });
    expect((await appError(getBackend(b.id))).status).toBe(404);
    expect((await appError(deleteBackend(b.id, actor))).status).toBe(404);
    expect((await auditFor("toggle")).map((a) => a.action)).toEqual([
      "admin.backend.create",
      "admin.backend.disable",
      "admin.backend.enable",
      "admin.backend.delete",
    ]);
  });

  it("accepts the system as actor (seeding)", async () => {
    const b = await createBackend(input("seeded", { mode: "none" }), { userId: null });
    expect((await auditFor("seeded"))[0]).toMatchObject({ userId: null });
    expect(b.slug).toBe("seeded");
  });
});
