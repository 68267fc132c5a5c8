// Which provider URLs Gatehouse will talk to. OAuth requires TLS (RFC 6749 §3.1, §10.9), and
// oauth4webapi refuses plain http unless told otherwise. The one exception is a loopback host: the
// test world and local development run their OAuth servers on http://127.0.0.1, where nothing
// crosses a network. Any other http URL is refused when the provider is saved.
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
