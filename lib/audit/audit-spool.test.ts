// The database goes away while MCP calls keep being audited: every event waits in the spool and is
// written once the database is back; past the spool's bound the oldest are dropped and counted.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AUDIT_SPOOL_MAX, auditDropped, auditSpool, flushAudit, recordAudit } from "@/lib/audit/record-audit";
import { setEnvForTests } from "@/lib/env";
import { attachTestDatabase, type TestDatabase } from "@/testkit/test-database";

// The outage: the batched write fails as pg does when the server went away.
const outage = vi.hoisted(() => ({ down: false }));
vi.mock("@/lib/audit/insert-audit-rows", async (original) => {
  const real = await original<typeof import("@/lib/audit/insert-audit-rows")>();
  return {
    insertAuditRows: (rows: Parameters<typeof real.insertAuditRows>[0]) =>
      outage.down
        ? Promise.reject(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))
        : real.insertAuditRows(rows),
  };
});

let t: TestDatabase;
beforeAll(async () => {
  setEnvForTests({
    KEYCLOAK_ISSUER: "http://127.0.0.1:9/realms/x",
    KEYCLOAK_CLIENT_ID: "gatehouse",
    KEYCLOAK_CLIENT_SECRET: "x",
    LOG_LEVEL: "silent",
  });
  t = await attachTestDatabase();
});
afterAll(() => t.drop());

describe("[audit] spool through a database outage", () => {
  it("events recorded while the database is down are all written once it returns, none dropped", async () => {
    const marker = randomUUID();
    const dropped = auditDropped();
    outage.down = true;
    for (let i = 0; i < 450; i++) recordAudit({ action: "tool_call", outcome: "success", tool: marker, detail: { i } });
    await flushAudit();
    expect(auditSpool()).toMatchObject({ spooled: 450, outageSince: expect.any(Date) });
    expect(await t.db.prisma.auditEvent.count({ where: { tool: marker } })).toBe(0);

    outage.down = false;
    await vi.waitFor(async () => expect(await t.db.prisma.auditEvent.count({ where: { tool: marker } })).toBe(450), { timeout: 20_000 });
    expect(auditSpool()).toEqual({ spooled: 0, dropped });
    expect(auditDropped()).toBe(dropped);
  });

  it("a spool past its bound drops the oldest events and counts every one of them", async () => {
    const marker = randomUUID();
    const dropped = auditDropped();
    outage.down = true;
    for (let i = 0; i < AUDIT_SPOOL_MAX + 25; i++) recordAudit({ action: "tool_call", outcome: "success", tool: marker, detail: { i } });
    expect(auditDropped() - dropped).toBe(25);
    expect(auditSpool().spooled).toBe(AUDIT_SPOOL_MAX);
    outage.down = false;
    await flushAudit();
    expect(await t.db.prisma.auditEvent.count({ where: { tool: marker } })).toBe(AUDIT_SPOOL_MAX);
    // The oldest went: the first kept is number 25.
    const first = await t.db.prisma.auditEvent.findFirst({ where: { tool: marker }, orderBy: { at: "asc" }, select: { detail: true } });
    expect(first?.detail).toMatchObject({ i: expect.any(Number) });
    expect(await t.db.prisma.auditEvent.count({ where: { tool: marker, detail: { path: ["i"], equals: 0 } } })).toBe(0);
  }, 120_000);
});
