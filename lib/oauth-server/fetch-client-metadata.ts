// Fetches a Client ID Metadata Document: the one place the authorization server reaches out to a
// URL a stranger chose. It goes through the app's one outbound URL policy (lib/net), stricter than
// for URLs an admin configured: https only, no loopback, private or link-local address (checked on
// the address actually connected to) unless the host is in OUTBOUND_ALLOWED_HOSTS, and the sign-in
// issuer's host is not exempt. OAUTH_ALLOW_HTTP_CLIENT_METADATA (development only) admits plain http
// to 127.0.0.1/localhost. No redirects, at most MAX_BYTES, a TIMEOUT_MS deadline, a JSON content type.
import { env } from "@/lib/env";
import { fetchOutboundJson } from "@/lib/net/fetch-outbound-json";
import { guardedAgents } from "@/lib/net/guarded-connect";
import { parseAllowedHost, type OutboundPolicy } from "@/lib/net/outbound-policy";
import { createSafeFetch } from "@/lib/net/safe-fetch";

export const MAX_BYTES = 5 * 1024;
const TIMEOUT_MS = 5_000;

/** The development allowance: http://127.0.0.1… or http://localhost… client ids. */
export function isAllowedDevelopmentUrl(url: URL): boolean {
  return env().OAUTH_ALLOW_HTTP_CLIENT_METADATA && url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** The parsed JSON document, or throws an Error whose message says what was wrong (no secret in it). */
export async function fetchClientMetadata(url: URL): Promise<unknown> {
  const development = isAllowedDevelopmentUrl(url);
  if (url.protocol !== "https:" && !development) throw new Error("the client id must be an https URL");
  const policy: OutboundPolicy = { allowLoopback: development, allowedHosts: env().OUTBOUND_ALLOWED_HOSTS.map(parseAllowedHost) };
  // Documents are cached (client-metadata-document.ts), so a connection per fetch costs little.
  const agents = guardedAgents({ keepAlive: false }, { policy: () => policy });
  const fetch = createSafeFetch({ agents: () => agents, guard: { policy: () => policy } });
  return fetchOutboundJson(url.href, { maxBytes: MAX_BYTES, timeoutMs: TIMEOUT_MS, fetch, requireJsonContentType: true });
}
