// One error type for the whole app. Each code maps to one HTTP status here, and nowhere else; to a
// JSON-RPC code in lib/json-rpc-errors.ts.
import { DATABASE_UNAVAILABLE, isDatabaseError } from "@/lib/db/database-error";

export type ErrorCode =
  | "bad_request" // malformed input that is not a form (a query string, a JSON body that is not JSON)
  | "validation" // input that parsed but broke a rule; `fields` says which
  | "unauthorized" // no or bad credentials
  | "forbidden" // authenticated, but not allowed
  | "not_found" // the thing does not exist for this caller (also used for other users' rows)
  | "conflict" // a unique value clashes (slug) or the thing is still in use
  | "unsupported_media_type" // a body sent with another content type than the one the endpoint reads
  | "payload_too_large" // a request body past its size limit
  | "link_required" // a linked-account backend was called without a usable link
  | "upstream" // a provider or backend failed
  | "unavailable" // the database or another dependency is down
  | "internal";

const httpStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  validation: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported_media_type: 415,
  payload_too_large: 413,
  link_required: 403,
  upstream: 502,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
  }
  get status(): number {
    return httpStatus[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof Error && e.name === "AppError" && "code" in e;
}

/** What a client may be told: an AppError as is; a database failure as a retryable "unavailable" without its text; anything else unchanged. */
export function clientError(e: unknown): unknown {
  if (isAppError(e)) return e;
  return isDatabaseError(e) ? new AppError("unavailable", DATABASE_UNAVAILABLE) : e;
}

/** The JSON body every API answers with on error. Database failures become 503; unknown errors a generic 500. */
export function errorBody(thrown: unknown, requestId?: string) {
  const e = clientError(thrown);
  if (isAppError(e)) {
    return { status: e.status, body: { error: { code: e.code, message: e.message, fields: e.fields, requestId } } };
  }
  return {
    status: 500,
    body: {
      error: {
        code: "internal" as const,
        message: "Something went wrong on our side. Quote the request id when you report it.",
        requestId,
      },
    },
  };
}

/** zod issues → `{ "field.path": ["message"] }` for a 422. */
export function fieldErrors(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
