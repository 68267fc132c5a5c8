// The revoke outbox: an unlink or a provider deletion owes the provider a revocation, kept in the
// database until the provider confirms it, whatever happens to the process that queued it.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { storeLink } from "@/lib/links/store-link";
import { unlinkAccount } from "@/lib/links/unlink-account";
import { createProvider } from "@/lib/providers/create-provider";
import { deleteProvider } from "@/lib/providers/delete-provider";
import type { PublicProvider } from "@/lib/providers/public-provider";
import { findPendingRevocations } from "@/lib/revocations/find-pending-revocations";
import { runRevocations } from "@/lib/revocations/run-revocations";
import { startLinkTestStack, type LinkTestStack } from "@/testkit/link-stack";

let s: LinkTestStack;
let server: Server;
/** The revocation endpoint answers 503 while this is above zero, counting down. */
let refusals = 0;
const revoked: string[] = [];
let provider: PublicProvider;

beforeAll(async () => {
  s = await startLinkTestStack();
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (refusals > 0) {
        refusals--;
        return res.writeHead(503).end();
      }
      revoked.push(new URLSearchParams(body).get("token") ?? "");
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  provider = await createProvider(providerInput("moody", "Moody"), { userId: null });
});
let base = "";
const providerInput = (slug: string, displayName: string) => ({
  kind: "oauth2" as const,
  slug,
  displayName,
  clientId: "c",
  clientSecret: "s",
  authorizationEndpoint: `${base}/authorize`,
  tokenEndpoint: `${base}/token`,
  revocationEndpoint: `${base}/revoke`,
  userinfoEndpoint: `${base}/me`,
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await s?.close();
});
beforeEach(async () => {
  refusals = 0;
  revoked.length = 0;
  await getDb().revocationOutbox.deleteMany({});
});

const link = (userId: string, externalId: string, providerId = provider.id) =>
  storeLink({
    userId,
    providerId,
    providerSlug: "moody",
    externalId,
    externalName: externalId,
    scopes: [],
    accessToken: `access-${externalId}`,
    refreshToken: `refresh-${externalId}`,
    expiresAt: new Date(Date.now() + 3_600_000),
  });

/** Makes every queued row due now (instead of waiting out the backoff) and runs the sweep. */
async function sweepNow(): Promise<void> {
  await getDb().revocationOutbox.updateMany({ data: { nextAttemptAt: new Date(0) } });
  await runRevocations();
}

describe("[revocations] outbox", () => {
  it("alice unlinks while the provider refuses: her page says revoking…, and the sweep retries until the provider accepts", async () => {
    await link(s.alice.id, "alice-1");
    refusals = 4; // the unlink's own attempt sends the refresh token first and stops at the first refusal
    const outcome = await unlinkAccount({ userId: s.alice.id, providerId: provider.id, actor: { userId: s.alice.id } });
    expect(outcome).toMatchObject({ revoked: false, retrying: true });
    expect(await getDb().linkedAccount.count({ where: { userId: s.alice.id, providerId: provider.id } })).toBe(0);
    expect(await findPendingRevocations(s.alice.id)).toEqual([
      expect.objectContaining({ providerId: provider.id, providerName: "Moody", attempts: 1, lastError: expect.stringContaining("Moody") }),
    ]);
    // A row not yet due is left alone: backoff, not a hot loop.
    expect(await runRevocations()).toBe(0);

    for (let i = 0; i < 5 && (await findPendingRevocations(s.alice.id)).length; i++) await sweepNow();
    expect(await findPendingRevocations(s.alice.id)).toEqual([]);
    expect(revoked).toEqual(["refresh-alice-1", "access-alice-1"]);
    await flushAudit();
    const audit = await getDb().auditEvent.findFirst({ where: { userId: s.alice.id, action: "revoke" }, orderBy: { at: "desc" } });
    expect(audit).toMatchObject({ outcome: "success", provider: "moody", detail: { attempts: 5 } });
  });

  it("the backoff doubles with each refused attempt", async () => {
    await link(s.alice.id, "alice-2");
    refusals = 100;
    await unlinkAccount({ userId: s.alice.id, providerId: provider.id, actor: { userId: s.alice.id } });
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sweepNow();
      const row = (await getDb().revocationOutbox.findFirstOrThrow({ where: { userId: s.alice.id } }))!;
      waits.push(Math.round((row.nextAttemptAt.getTime() - Date.now()) / 1000));
    }
    expect(waits[1]! / waits[0]!).toBeCloseTo(2, 0);
    expect(waits[2]! / waits[1]!).toBeCloseTo(2, 0);
  });

  it("a tampered token ciphertext is given up at once and recorded, not retried forever", async () => {
    await link(s.alice.id, "alice-3");
    refusals = 100;
    await unlinkAccount({ userId: s.alice.id, providerId: provider.id, actor: { userId: s.alice.id } });
    const row = await getDb().revocationOutbox.findFirstOrThrow({ where: { userId: s.alice.id } });
    // Moved to another link id: the ciphertext's associated data no longer matches.
    await getDb().revocationOutbox.update({ where: { id: row.id }, data: { linkId: "forged" } });
    await sweepNow();
    expect(await findPendingRevocations(s.alice.id)).toEqual([]);
    await flushAudit();
    const audit = await getDb().auditEvent.findFirst({ where: { userId: s.alice.id, action: "revoke" }, orderBy: { at: "desc" } });
    expect(audit).toMatchObject({ outcome: "failure", detail: { gaveUp: true } });
  });

  it("an admin deletes a provider: every linked user's grant is revoked there, from the outbox", async () => {
    const doomed = await createProvider(providerInput("doomed", "Doomed"), { userId: null });
    await link(s.alice.id, "alice-d", doomed.id);
    await link(s.bob.id, "bob-d", doomed.id);
    await deleteProvider(doomed.id, { userId: null });
    expect(await getDb().revocationOutbox.count({ where: { providerId: doomed.id } })).toBe(2);
    await runRevocations();
    expect(await getDb().revocationOutbox.count({ where: { providerId: doomed.id } })).toBe(0);
    expect(revoked.sort()).toEqual(["access-alice-d", "access-bob-d", "refresh-alice-d", "refresh-bob-d"]);
  });
});
