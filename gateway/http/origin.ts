// Streamable HTTP servers must check Origin, and a server reachable by name must check Host (DNS
// rebinding: a hostile page whose name resolves to this server). Both are checked against the
// configured public URL, not one spelling of it: for a loopback APP_URL every loopback spelling
// (localhost, 127.0.0.1, [::1], any port) is the same place; otherwise the origins of
// MCP_ALLOWED_ORIGINS and the hosts of MCP_ALLOWED_HOSTS (plus APP_URL's own). Requests without
// Origin come from non-browser clients and pass that check. Allowed browser origins get CORS headers.
import type { GatewayReply } from "@/gateway/types";
import { env } from "@/lib/env";

const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function hostnameOf(host: string): string {
  const h = host.toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  return h.split(":")[0]!;
}

interface Allowed {
  appUrlIsLoopback: boolean;
  /** APP_URL's host, the origins' hosts and MCP_ALLOWED_HOSTS, lower-cased. */
  hosts: string[];
}

// Worked out once per configuration (env() returns the same object until a test replaces it):
// the Host check runs on every request.
let allowedFor: { env: ReturnType<typeof env>; allowed: Allowed } | undefined;
function allowed(): Allowed {
  const e = env();
  if (allowedFor?.env !== e) {
    const hosts = [new URL(e.APP_URL).host, ...e.MCP_ALLOWED_ORIGINS.map((o) => safeHost(o)), ...e.MCP_ALLOWED_HOSTS];
    allowedFor = {
      env: e,
      allowed: {
        appUrlIsLoopback: LOOPBACK.has(new URL(e.APP_URL).hostname.toLowerCase()),
        hosts: hosts.filter((h): h is string => h !== undefined).map((h) => h.toLowerCase()),
      },
    };
  }
  return allowedFor.allowed;
}

function appUrlIsLoopback(): boolean {
  return allowed().appUrlIsLoopback;
}

export function originAllowed(origin: string): boolean {
  const e = env();
  if (e.MCP_ALLOWED_ORIGINS.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin.toLowerCase().replace(/\/$/, "")) return false;
  return appUrlIsLoopback() && (url.protocol === "http:" || url.protocol === "https:") && LOOPBACK.has(url.hostname);
}

/** The Host header (host[:port]) names this server. A missing Host (HTTP/1.0, tests) passes. */
export function hostAllowed(host: string | undefined): boolean {
  if (host === undefined) return true;
  const h = host.trim().toLowerCase();
  if (!HOST.test(h)) return false;
  const { appUrlIsLoopback, hosts } = allowed();
  if (appUrlIsLoopback && LOOPBACK.has(hostnameOf(h))) return true;
  return hosts.some((a) => a === h || (!a.includes(":") && hostnameOf(h) === a));
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

export function corsHeaders(origin: string): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": "mcp-session-id, www-authenticate",
    vary: "Origin",
  };
}

export function preflight(): GatewayReply {
  return {
    status: 204,
    headers: {
      "access-control-allow-methods": "POST, GET, DELETE, OPTIONS",
      "access-control-allow-headers":
        "authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id, mcp-method, mcp-name",
      "access-control-max-age": "600",
    },
  };
}
