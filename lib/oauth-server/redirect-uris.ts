// Which redirect URIs an MCP client may register (dynamic registration) or publish (Client ID
// Metadata Document): https anywhere; plain http only on the loopback interface, any port (RFC 8252
// §7.3, native apps listening locally); private-use schemes for native apps (RFC 8252 §7.1, e.g.
// `cursor://…`), except schemes a browser would run or read locally.
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:", "about:", "ftp:", "ws:", "wss:"]);

/** Undefined when acceptable, else what is wrong with it (for `invalid_redirect_uri`). */
export function redirectUriProblem(uri: string): string | undefined {
  const url = URL.parse(uri);
  if (!url) return `${uri} is not an absolute URI`;
  if (url.hash || uri.includes("#")) return `${uri} must not contain a fragment`;
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:")
    return LOOPBACK_HOSTS.has(url.hostname)
      ? undefined
      : `${uri}: plain http is allowed only on loopback (127.0.0.1, [::1], localhost); use https`;
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `${uri}: the ${url.protocol} scheme is not allowed for redirects`;
  return undefined;
}
