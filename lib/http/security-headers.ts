// The security headers of every response the app sends (set in lib/http/app-server.ts, in front of
// Next and the gateway, so no page, route or MCP answer goes without them).
//
// CSP: Next's App Router streams each page's data in inline <script> tags. Nonces for them would
// need every page rendered per request with the nonce threaded through (static pages could not be
// prerendered) and the CSP set in proxy.ts; instead scripts are limited to this origin plus inline,
// and everything a CSP can shut without breaking hydration is shut: framing (clickjacking), plugins,
// <base> hijacking, and form posts, fetches and images to other origins.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join("; ");

const TWO_YEARS_SECONDS = 63_072_000;

export function securityHeaders(appUrl: string): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
  };
  // Only over https: a browser that saw HSTS on plain http would ignore it, and on localhost it
  // would pin every other local app to https.
  if (appUrl.startsWith("https://")) headers["strict-transport-security"] = `max-age=${TWO_YEARS_SECONDS}; includeSubDomains`;
  return headers;
}
