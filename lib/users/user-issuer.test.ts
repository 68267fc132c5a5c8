// Two people called "alice": one signed in through Keycloak, one vouched for by a backend's extra
// trusted issuer. They are two users (unique per issuer and sub), and every place that shows users
// (REST list, audit JSON and CSV, the console's audit table) shows which issuer each one came from.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditTable } from "@/app/_components/audit-table";
import * as auditRoute from "@/app/api/admin/audit/route";
import * as usersRoute from "@/app/api/admin/users/route";
import { findAuditEvents } from "@/lib/audit/find-audit-events";
import { flushAudit, recordAudit } from "@/lib/audit/record-audit";
import { upsertUser } from "@/lib/users/upsert-user";
import { startTestEnv, type TestEnv } from "@/testkit/console-stack";

const OTHER_ISSUER = "https://ci-robots.example.com/oidc";
let env: TestEnv;
let admin: string;
let ids: { keycloak: string; other: string };

beforeAll(async () => {
  env = await startTestEnv();
  admin = await env.tokenFor("admin");
  const keycloakAlice = env.world.keycloak.users.find((u) => u.username === "alice")!;
  const keycloak = await upsertUser({
    issuer: env.world.keycloak.issuer,
    sub: keycloakAlice.sub,
    username: "alice",
    roles: [],
    groups: [],
  });
  // The same sub string at another issuer is someone else, too.
  const other = await upsertUser({ issuer: OTHER_ISSUER, sub: keycloakAlice.sub, username: "alice", roles: [], groups: [] });
  ids = { keycloak: keycloak.id, other: other.id };
  recordAudit({ action: "tool_call", outcome: "success", userId: ids.keycloak, backend: "tickets", tool: "whoami" });
  recordAudit({ action: "tool_call", outcome: "success", userId: ids.other, backend: "tickets", tool: "whoami" });
  await flushAudit();
});
afterAll(() => env?.close());

const get = async (mod: { GET: (req: Request, ctx: { params: Promise<Record<string, never>> }) => Promise<Response> }, path: string) =>
  mod.GET(new Request(`http://localhost:3999${path}`, { headers: { authorization: `Bearer ${admin}` } }), { params: Promise.resolve({}) });

describe("users with the same name from different issuers", () => {
  it("are two users, and the REST user list names each one's issuer", async () => {
    expect(ids.keycloak).not.toBe(ids.other);
    const { users } = (await (await get(usersRoute, "/api/admin/users?q=alice")).json()) as {
      users: { id: string; username: string; issuer: string }[];
    };
    expect(
      users
        .filter((u) => u.username === "alice")
        .map((u) => [u.id, u.issuer])
        .sort(),
    ).toEqual(
      [
        [ids.keycloak, env.world.keycloak.issuer],
        [ids.other, OTHER_ISSUER],
      ].sort(),
    );
  });

  it("the audit log's JSON and CSV name the issuer of each event's user", async () => {
    const { events } = (await (await get(auditRoute, "/api/admin/audit?user=alice")).json()) as {
      events: { user: { id: string; issuer: string } }[];
    };
    expect(events.map((e) => e.user.issuer).sort()).toEqual([env.world.keycloak.issuer, OTHER_ISSUER].sort());
    const csv = await (await get(auditRoute, "/api/admin/audit?user=alice&format=csv")).text();
    const rows = csv.trim().split("\r\n").slice(1);
    expect(rows.find((r) => r.includes(ids.keycloak))).toContain(`,alice,${env.world.keycloak.issuer},${ids.keycloak},`);
    expect(rows.find((r) => r.includes(ids.other))).toContain(`,alice,${OTHER_ISSUER},${ids.other},`);
  });

  it("the console's audit table shows both alices with their issuers", async () => {
    const { events } = await findAuditEvents({ user: "alice" });
    const html = renderToStaticMarkup(createElement(AuditTable, { events, showUser: true }));
    const shown = [...html.matchAll(/data-testid="user-issuer"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(shown.sort()).toEqual([env.world.keycloak.issuer, OTHER_ISSUER].sort());
  });
});
