// What the consent page says about an MCP client, from its registration or Client ID Metadata
// Document: name, home page, a logo stand-in, who publishes it, and where it sends the person back.
// The logo is shown as the name's initials: the page's CSP allows images from this origin only
// (lib/http/security-headers.ts), and a client-chosen image URL must not be fetched for every visitor.
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

export type RedirectKind = "web" | "loopback" | "native";

export interface ClientProfile {
  name: string;
  initials: string;
  /** The client's home page (client_uri), http(s) only. */
  homePage?: { url: string; host: string };
  /** For a metadata-document client, the host that publishes the document (its client_id URL). */
  publishedBy?: string;
  redirect: { uri: string; host: string; kind: RedirectKind };
}

export function describeClient(opts: {
  clientId: string;
  metadata: Record<string, unknown> | undefined;
  redirectUri: string;
}): ClientProfile {
  const m = opts.metadata ?? {};
  const name = typeof m.client_name === "string" && m.client_name.trim() ? m.client_name.trim() : opts.clientId;
  const home = typeof m.client_uri === "string" ? URL.parse(m.client_uri) : null;
  const idUrl = URL.parse(opts.clientId);
  return {
    name,
    initials: initialsOf(name),
    homePage: home && (home.protocol === "https:" || home.protocol === "http:") ? { url: home.href, host: home.host } : undefined,
    publishedBy: idUrl?.protocol === "https:" ? idUrl.host : undefined,
    redirect: describeRedirect(opts.redirectUri),
  };
}

/** Where the answer goes, as the person should read it: the host (or, for a native app, its scheme). */
export function describeRedirect(uri: string): ClientProfile["redirect"] {
  const url = URL.parse(uri);
  if (!url) return { uri, host: uri, kind: "web" };
  if (url.protocol === "http:" || url.protocol === "https:")
    return { uri, host: url.host, kind: LOOPBACK_HOSTS.has(url.hostname) ? "loopback" : "web" };
  return { uri, host: url.host ? `${url.protocol}//${url.host}` : url.protocol, kind: "native" };
}

/** Up to two letters: the first of the first two words, else the first two characters. */
export function initialsOf(name: string): string {
  const words = name
    .replace(/^https?:\/\//, "")
    // "Alice's Agent" is two words, not three.
    .replace(/['\u2019]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const letters = words.length >= 2 ? words[0]![0]! + words[1]![0]! : (words[0] ?? "?").slice(0, 2);
  return letters.toUpperCase();
}
