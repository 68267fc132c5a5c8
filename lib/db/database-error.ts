// Database failures as clients may see them: one retryable "unavailable" error, never the driver's
// text (which names hosts, databases and SQL). Recognized by name and code, without importing the
// drivers, so any boundary (route wrappers, the gateway) can map with it.

const DRIVER_ERROR_NAMES = new Set([
  "PrismaClientKnownRequestError",
  "PrismaClientUnknownRequestError",
  "PrismaClientInitializationError",
  "PrismaClientRustPanicError",
  "DriverAdapterError",
  "DatabaseError", // pg
]);
// Prisma's connection-level codes (P1xxx; P2024: pool timeout; P2028: transaction API), PostgreSQL's
// connection (08xxx), shutdown (57P0x) and resource classes (53xxx), and the sockets' own codes.
const CONNECTION_CODE = /^(P1\d{3}|P2024|P2028|08\w{3}|57P0\d|53\w{3}|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)$/;

export const DATABASE_UNAVAILABLE = "The gateway's database is briefly unavailable; try again in a few seconds.";

/** True for an error from the database or its driver, at any depth of `cause`. */
export function isDatabaseError(e: unknown): boolean {
  for (let err = e, depth = 0; err instanceof Error && depth < 5; err = (err as { cause?: unknown }).cause, depth++) {
    if (DRIVER_ERROR_NAMES.has(err.name) || DRIVER_ERROR_NAMES.has(err.constructor.name)) return true;
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODE.test(code)) return true;
    if (/prisma|postgres|pglite/i.test(err.message) && /connect|timeout|terminat|closed|refused/i.test(err.message)) return true;
  }
  return false;
}

/**
 * True only when the database could not be reached or is going away (connection codes, Prisma's
 * initialization error): a query the database refused (a constraint, bad data) is not an outage and
 * must not be retried as one.
 */
export function isDatabaseUnreachable(e: unknown): boolean {
  for (let err = e, depth = 0; err instanceof Error && depth < 5; err = (err as { cause?: unknown }).cause, depth++) {
    if (err.name === "PrismaClientInitializationError" || err.constructor.name === "PrismaClientInitializationError") return true;
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODE.test(code)) return true;
    if (/prisma|postgres|pglite/i.test(err.message) && /connect|timeout|terminat|closed|refused/i.test(err.message)) return true;
  }
  return false;
}
