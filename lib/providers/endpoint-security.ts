// The shape a provider URL must have in the form (shared with the browser, so no configuration
// here): OAuth requires TLS (RFC 6749 §3.1, §10.9); the one exception is a loopback host, where the
// test world and local development run their OAuth servers. Whether Gatehouse will actually call a
// URL (loopback outside development, private addresses) is the outbound policy's decision, made on
// the server: lib/net/outbound-policy.ts.
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export function isLoopbackHttp(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "http:" && LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

/** https anywhere, or http on a loopback host. */
export function isAllowedEndpoint(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || isLoopbackHttp(url);
  } catch {
    return false;
  }
}
