// Two Authorization headers before Next: server.ts refuses them from the raw headers (Next's
// request only has the first), and the REST wrapper refuses the joined form it may see.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizationHeaderCount, refuseDuplicateAuthorization } from "@/lib/auth/duplicate-authorization";
import { withUser } from "@/lib/auth/route";
import { setEnvForTests } from "@/lib/env";

let server: http.Server;
let url: string;
beforeAll(async () => {
  setEnvForTests({
    NODE_ENV: "test",
    KEYCLOAK_ISSUER: "http://127.0.0.1:9/realms/r",
    KEYCLOAK_CLIENT_ID: "c",
    KEYCLOAK_CLIENT_SECRET: "s",
    LOG_LEVEL: "silent",
  });
  // As in server.ts: the check, then what would be Next.
  server = http.createServer((req, res) => {
    if (refuseDuplicateAuthorization(req, res)) return;
    res.end(`seen: ${req.headers.authorization ?? "none"}`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin/backends`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const get = (headers: string[]) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    http
      .get(url, { headers: ["host", new URL(url).host, ...headers] }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c)).on("end", () => resolve({ status: res.statusCode!, body }));
      })
      .on("error", reject);
  });

describe("duplicate Authorization headers", () => {
  it("server.ts's check: one header passes, two are 400 (Node alone would pass the first on)", async () => {
    expect(await get(["authorization", "Bearer one"])).toEqual({ status: 200, body: "seen: Bearer one" });
    const res = await get(["authorization", "Bearer one", "authorization", "Bearer two"]);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      error: {
        code: "bad_request",
        message: "Send exactly one Authorization header with one credential; this request carried more than one.",
      },
    });
    expect(authorizationHeaderCount(["Host", "x", "AUTHORIZATION", "a", "x-authorization", "b", "Authorization", "c"])).toBe(2);
  });

  it("the REST wrapper refuses two credentials joined in one header, before looking at either", async () => {
    const handler = withUser(async () => new Response("reached"));
    const headers = new Headers();
    headers.append("authorization", "Bearer one");
    headers.append("authorization", "Bearer two");
    const res = await handler(new Request("http://localhost/api/me", { headers }), { params: Promise.resolve({}) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "Send exactly one Authorization header with one credential; this request carried more than one.",
    );
  });
});
