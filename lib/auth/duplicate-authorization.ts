// A request with two Authorization headers (or two credentials in one) is ambiguous: Node keeps the
// first and silently drops the rest, a proxy in front may have checked another one, and Headers
// joins them with ", ". Gatehouse refuses it with 400 instead of guessing which one counts. No
// credential (Bearer token68, Basic) contains a comma, so a comma means a second credential.
import type { IncomingMessage, ServerResponse } from "node:http";

export const DUPLICATE_AUTHORIZATION = "Send exactly one Authorization header with one credential; this request carried more than one.";

/** How many Authorization headers the client sent (Node's parsed headers keep only the first). */
export function authorizationHeaderCount(rawHeaders: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.length === 13 && rawHeaders[i]!.toLowerCase() === "authorization") n++;
  return n;
}

/** One Authorization value that holds several credentials (what Headers makes of duplicates). */
export function carriesSeveralCredentials(value: string | null | undefined): boolean {
  return typeof value === "string" && value.includes(",");
}

/** For a Node server in front of handlers that only see the parsed headers: answers 400 and returns true. */
export function refuseDuplicateAuthorization(req: IncomingMessage, res: ServerResponse): boolean {
  if (authorizationHeaderCount(req.rawHeaders) <= 1) return false;
  res.writeHead(400, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ error: { code: "bad_request", message: DUPLICATE_AUTHORIZATION } }));
  return true;
}
