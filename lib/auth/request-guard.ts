// The one request guard for every cookie-authenticated state change (route wrappers, the link
// routes, and server actions through proxy.ts). A browser attaches the session cookie to requests
// that another site starts: SameSite=Lax lets it through on a top-level POST form and on anything
// from the same *site* (another port, a sibling subdomain), so the cookie alone proves nothing about
// who built the request. Browsers do stamp where a request came from, and a page cannot forge that:
// `Origin` on every POST/PUT/PATCH/DELETE, and `Sec-Fetch-Site` on every request of current browsers.
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Methods that must not change state, and so pass without a check. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface GuardedRequest {
  method: string;
  headers: { get(name: string): string | null };
}

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** This app's own origin (APP_URL's), the only one whose pages may change state with the cookie. */
export function appOrigin(): string {
  return new URL(env().APP_URL).origin;
}

/**
 * Throws a 403 unless the request provably came from one of this app's own pages: `Origin` equal
 * to APP_URL's origin or, when a browser sent no `Origin`, `Sec-Fetch-Site: same-origin`. A request
 * with neither is refused too: every browser that could carry the cookie sends one of them, and a
 * script that has the cookie can as well send a bearer token.
 */
export function assertSameOrigin(req: GuardedRequest): void {
  const origin = req.headers.get("origin");
  const own = appOrigin();
  if (origin !== null) {
    if (origin === own) return;
    throw crossSite(`Origin ${clip(origin)} is not this app's origin (${own})`);
  }
  const site = req.headers.get("sec-fetch-site");
  if (site === "same-origin") return;
  if (site === null) throw crossSite("the request has neither an Origin header nor Sec-Fetch-Site: same-origin");
  throw crossSite(`Sec-Fetch-Site is ${clip(site)}, not same-origin, and no Origin header was sent`);
}

/** The guard for a cookie-authenticated request: safe methods pass, state changes must be same-origin. */
export function guardCookieRequest(req: GuardedRequest): void {
  if (!isSafeMethod(req.method)) assertSameOrigin(req);
}

/**
 * A body read as JSON must be declared as JSON: a cross-site form can send only form encodings and
 * text/plain without a preflight, so accepting those as JSON would let a form forge a JSON call.
 */
export function assertJsonContentType(req: GuardedRequest): void {
  const type = req.headers.get("content-type");
  const essence = type?.split(";")[0]!.trim().toLowerCase();
  if (essence === "application/json") return;
  throw new AppError(
    "unsupported_media_type",
    `This endpoint reads a JSON body: send it with Content-Type: application/json${type ? ` (got ${clip(type)})` : " (none was sent)"}.`,
  );
}

function crossSite(reason: string): AppError {
  return new AppError(
    "forbidden",
    `cross-site request refused: ${reason}. Send state changes from Gatehouse's own pages, or use a bearer token.`,
  );
}

/** Untrusted header values go into messages short. */
function clip(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
