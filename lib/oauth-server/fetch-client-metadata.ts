// Fetches a Client ID Metadata Document: the one place the authorization server reaches out to a
// URL a stranger chose. It goes through the app's one outbound URL policy (lib/net), stricter than
// for URLs an admin configured: https only, no loopback, private or link-local address (checked on
// the address actually connected to) unless the host is in OUTBOUND_ALLOWED_HOSTS, and the sign-in
// issuer's host is not exempt. OAUTH_ALLOW_HTTP_CLIENT_METADATA (development only) admits plain http
// to 127.0.0.1/localhost. No redirects, at most MAX_BYTES, a TIMEOUT_MS deadline, a JSON content type;
// its Cache-Control says how long it may be reused.
import { env } from "@/lib/env";
import { fetchOutboundDocument } from "@/lib/net/fetch-outbound-json";
import { guardedAgents } from "@/lib/net/guarded-connect";
import { parseAllowedHost, type OutboundPolicy } from "@/lib/net/outbound-policy";
import { createSafeFetch } from "@/lib/net/safe-fetch";

export const MAX_BYTES = 5 * 1024;
const TIMEOUT_MS = 5_000;

/** The development allowance: http://127.0.0.1… or http://localhost… client ids. */
export function isAllowedDevelopmentUrl(url: URL): boolean {
  return env().OAUTH_ALLOW_HTTP_CLIENT_METADATA && url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

const MAX_AGE_CAP_MS = 24 * 3600_000;

/**
 * How long the document may be reused, as its Cache-Control says: 0 for no-store or no-cache, max-age
 * (at most a day), undefined when the answer says nothing (the caller's default applies).
 */
export function freshnessMs(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  const directives = cacheControl
    .toLowerCase()
    .split(",")
    .map((d) => d.trim());
  if (directives.some((d) => d === "no-store" || d === "no-cache")) return 0;
  const maxAge = directives.map((d) => /^max-age=(\d+)$/.exec(d)).find(Boolean);
  return maxAge ? Math.min(Number(maxAge[1]) * 1000, MAX_AGE_CAP_MS) : undefined;
}

/** The parsed JSON document and how long it stays fresh, or throws an Error saying what was wrong (no secret in it). */
export async function fetchClientMetadata(url: URL): Promise<{ document: unknown; freshForMs?: number }> {
  const development = isAllowedDevelopmentUrl(url);
  if (url.protocol !== "https:" && !development) throw new Error("the client id must be an https URL");
  const policy: OutboundPolicy = { allowLoopback: development, allowedHosts: env().OUTBOUND_ALLOWED_HOSTS.map(parseAllowedHost) };
  // Documents are cached (client-metadata-document.ts), so a connection per fetch costs little.
  const agents = guardedAgents({ keepAlive: false }, { policy: () => policy });
  const fetch = createSafeFetch({ agents: () => agents, guard: { policy: () => policy } });
  const { json, cacheControl } = await fetchOutboundDocument(url.href, {
    maxBytes: MAX_BYTES,
    timeoutMs: TIMEOUT_MS,
    fetch,
    requireJsonContentType: true,
  });
  return { document: json, freshForMs: freshnessMs(cacheControl) };
}
