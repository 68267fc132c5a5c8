// How the fault suite judges a failed call's message: a client must be told clearly that the failure
// is passing and worth retrying, and never see a driver's text or where the database lives.
export type FailureKind = "clear and retryable" | "leaks internals" | "unclear";

const LEAKS = /prisma|postgres|pg_|sql|econnrefused|econnreset|127\.0\.0\.1:\d+|localhost:\d+|driveradapter|stack|at \w+ \(/i;
const RETRYABLE = /try again|briefly unavailable|retry|timed out|did not answer|unavailable|shutting down|busy/i;

export function failureKind(message: string): FailureKind {
  if (LEAKS.test(message)) return "leaks internals";
  return RETRYABLE.test(message) ? "clear and retryable" : "unclear";
}

/** A message without its variable parts (ids, numbers), to count alike failures together. */
export function failureShape(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, "<id>")
    .replace(/\d+/g, "<n>")
    .slice(0, 160);
}
