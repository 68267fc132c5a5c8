import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit, recordAudit } from "@/lib/audit/record-audit";
import { setEnvForTests } from "@/lib/env";
import { attachTestDatabase, type TestDatabase } from "@/testkit/test-database";

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

describe("recordAudit", () => {
  it("returns at once and writes everything on flush", async () => {
    const user = await t.db.prisma.user.create({ data: { issuer: "i", sub: randomUUID(), roles: [], groups: [] } });
    for (let i = 0; i < 250; i++) recordAudit({ action: "tool_call", outcome: "success", userId: user.id, tool: `t${i}` });
    await flushAudit();
    expect(await t.db.prisma.auditEvent.count({ where: { userId: user.id } })).toBe(250);
  });

  it("keeps the rest of a batch when one row names a user that no longer exists", async () => {
    const user = await t.db.prisma.user.create({ data: { issuer: "i", sub: randomUUID(), roles: [], groups: [] } });
    const marker = randomUUID();
    recordAudit({ action: "tool_call", outcome: "success", userId: user.id, tool: marker });
    recordAudit({ action: "tool_call", outcome: "success", userId: randomUUID(), tool: marker });
    recordAudit({ action: "tool_call", outcome: "failure", userId: user.id, tool: marker });
    await flushAudit();
    const rows = await t.db.prisma.auditEvent.findMany({ where: { tool: marker }, select: { userId: true } });
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.userId === null)).toHaveLength(1);
  });
});

describe("the batched write", () => {
  it("stores every field as Prisma would read it back", async () => {
    const user = await t.db.prisma.user.create({ data: { issuer: "i", sub: randomUUID(), roles: [], groups: [] } });
    const at = new Date("2026-01-02T03:04:05.678Z");
    recordAudit({
      action: "tool_call",
      outcome: "failure",
      userId: user.id,
      clientId: "vscode",
      backend: "gitlab",
      provider: "gitlab",
      tool: "get_issue",
      latencyMs: 12.6,
      detail: { reason: "timeout", n: 1 },
      at,
    });
    recordAudit({ action: "link", outcome: "success", userId: user.id });
    await flushAudit();
    const rows = await t.db.prisma.auditEvent.findMany({ where: { userId: user.id }, orderBy: { at: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      action: "tool_call",
      outcome: "failure",
      clientId: "vscode",
      backend: "gitlab",
      provider: "gitlab",
      tool: "get_issue",
      latencyMs: 13,
      detail: { reason: "timeout", n: 1 },
    });
    expect(rows[0]!.at.toISOString()).toBe(at.toISOString());
    expect(rows[1]).toMatchObject({ action: "link", clientId: null, backend: null, tool: null, latencyMs: null, detail: null });
    expect(rows[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
