// A database that cannot be reached: clients get one retryable "unavailable" answer, never the
// driver's text with its host, database or SQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { DATABASE_UNAVAILABLE, isDatabaseError, isDatabaseUnreachable } from "@/lib/db/database-error";
import { AppError, errorBody } from "@/lib/errors";

// Nothing listens on port 1: the driver fails at once, naming the host and the database.
const HOST = "127.0.0.1";
let db: Db;
let real: unknown;
beforeAll(async () => {
  db = createDb({ url: `postgresql://gatehouse:sesame@${HOST}:1/secret_db_name` });
  real = await db.prisma.user.count().catch((e: unknown) => e);
});
afterAll(() => db?.close());

describe("[db] errors at the boundary", () => {
  it("a query on an unreachable database becomes a 503 without host, password or driver text", () => {
    expect(real).toBeInstanceOf(Error);
    expect(isDatabaseError(real)).toBe(true);
    const { status, body } = errorBody(real, "req-1");
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: "unavailable", message: DATABASE_UNAVAILABLE });
    const text = JSON.stringify(body);
    for (const secret of [HOST, "sesame", "secret_db_name", "ECONNREFUSED", "Prisma", "pg"]) expect(text).not.toContain(secret);
  });

  it("a connection cut by the server (pg's DatabaseError, code 57P01) is recognized at any depth of cause", () => {
    const cut = Object.assign(new Error("terminating connection due to administrator command on db.internal"), { code: "57P01" });
    const wrapped = new Error("load failed", { cause: cut });
    expect(isDatabaseError(wrapped)).toBe(true);
    expect(JSON.stringify(errorBody(wrapped).body)).not.toContain("db.internal");
  });

  it("an AppError and an unrelated bug keep their own answers", () => {
    expect(errorBody(new AppError("not_found", "There is no such provider.")).status).toBe(404);
    expect(isDatabaseError(new TypeError("x is undefined"))).toBe(false);
    expect(errorBody(new TypeError("x is undefined")).status).toBe(500);
  });

  it("a query the database refused (a foreign key) is a database error but not an outage to wait out", () => {
    class DatabaseError extends Error {}
    const refused = Object.assign(new DatabaseError('insert violates foreign key constraint "AuditEvent_userId_fkey"'), { code: "23503" });
    expect(isDatabaseError(refused)).toBe(true);
    expect(isDatabaseUnreachable(refused)).toBe(false);
    const cut = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    expect(isDatabaseUnreachable(new Error("write failed", { cause: cut }))).toBe(true);
  });
});
