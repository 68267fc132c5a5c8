// The database down while alice calls a linked-account tool: her client gets a clear, retryable
// error and her tool list still answers; no host, database name or driver text reaches either.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let down: Db;
beforeAll(async () => {
  // A real driver error: nothing listens on port 1.
  down = createDb({ url: "postgresql://gatehouse:sesame@127.0.0.1:1/secret_db_name" });
  const failure = await down.prisma.linkedAccount.findFirst().catch((e: unknown) => e);
  stack = await startGatewayTestStack({ gateway: { credentials: { linkToken: () => Promise.reject(failure) } } });
});
afterAll(async () => {
  await stack?.close();
  await down?.close();
});

const LEAKS = ["127.0.0.1:1", "sesame", "secret_db_name", "ECONNREFUSED", "Prisma", "DriverAdapter"];

describe("[gateway] database outage", () => {
  it("alice calls a GitLab tool while the database is down: a retryable error without database text", async () => {
    const client = await stack.connect("alice");
    const outcome = await client.callTool({ name: "gitlab_get_current_user" }).then(
      (r) => JSON.stringify(r),
      (e: unknown) => JSON.stringify({ message: (e as Error).message, data: (e as { data?: unknown }).data }),
    );
    expect(outcome).toContain("briefly unavailable");
    for (const leak of LEAKS) expect(outcome).not.toContain(leak);
    const list = JSON.stringify(await client.listTools());
    for (const leak of LEAKS) expect(list).not.toContain(leak);
    await client.close();
  });
});
