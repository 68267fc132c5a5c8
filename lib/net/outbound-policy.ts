// The one outbound URL policy: every server-side request to a URL an admin or a user supplied
// (provider discovery, token, revocation and user-info endpoints, backends, Test connection, client
// metadata documents) passes it, so a configured URL cannot make Gatehouse reach its own network
// (cloud metadata at 169.254.169.254, databases on 10/8, admin ports on loopback). Two checks:
// the URL before anything is sent (`checkOutboundUrl`), and each address a host name resolves to
// when a connection is opened (`checkOutboundAddress`, applied by lib/net/guarded-connect.ts), so
// a name that resolves to a private address, now or after a DNS change, is refused too.
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

export interface OutboundPolicy {
  /** Loopback addresses, and plain http to them (development, the demo, tests). */
  allowLoopback: boolean;
  /** Hosts whose private, link-local or loopback addresses may be reached; `http` also allows plain http. */
  allowedHosts: AllowedHost[];
}

export interface AllowedHost {
  hostname: string;
  /** Undefined: any port. */
  port?: number;
  http: boolean;
}

export type OutboundDecision = { ok: true } | { ok: false; reason: string };

/** A request the policy refused; nothing was sent. Its message says why and which setting allows it. */
export class OutboundRefusedError extends Error {
  override name = "OutboundRefusedError";
  /** Nothing left the process: there is no response, status or connection to report. */
  readonly sent = false;
}

export function isOutboundRefused(e: unknown): e is OutboundRefusedError {
  return e instanceof Error && e.name === "OutboundRefusedError";
}

const memo = new WeakMap<object, OutboundPolicy>();

/**
 * The policy the environment configures (OUTBOUND_ALLOW_LOOPBACK, OUTBOUND_ALLOWED_HOSTS). The
 * sign-in issuer's host is allowed as well: the operator configured it, and Keycloak commonly sits
 * on a private network next to Gatehouse (token exchange calls it).
 */
export function outboundPolicy(): OutboundPolicy {
  const e = env();
  let policy = memo.get(e);
  if (!policy) {
    const issuer = new URL(e.KEYCLOAK_ISSUER);
    const own: AllowedHost = {
      hostname: issuer.hostname,
      port: Number(issuer.port) || defaultPort(issuer.protocol),
      http: issuer.protocol === "http:",
    };
    policy = { allowLoopback: e.OUTBOUND_ALLOW_LOOPBACK, allowedHosts: [...e.OUTBOUND_ALLOWED_HOSTS.map(parseAllowedHost), own] };
    memo.set(e, policy);
  }
  return policy;
}

/** `host`, `host:port`, `[v6]:port`, each optionally prefixed `http://`. Host names compare as URL parsing writes them. */
export function parseAllowedHost(entry: string): AllowedHost {
  const http = entry.toLowerCase().startsWith("http://");
  const rest = http ? entry.slice("http://".length) : entry;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(rest);
  if (!m) throw new Error(`not a host or host:port: ${entry}`);
  return { hostname: new URL(`http://${m[1]}`).hostname, port: m[2] ? Number(m[2]) : undefined, http };
}

type AddressKind = "public" | "loopback" | "private" | "link-local" | "reserved";

const RANGES: [AddressKind, string, number, "ipv4" | "ipv6"][] = [
  ["loopback", "127.0.0.0", 8, "ipv4"],
  ["loopback", "::1", 128, "ipv6"],
  ["private", "10.0.0.0", 8, "ipv4"],
  ["private", "172.16.0.0", 12, "ipv4"],
  ["private", "192.168.0.0", 16, "ipv4"],
  ["private", "100.64.0.0", 10, "ipv4"], // carrier-grade NAT, often a cloud's internal network
  ["private", "198.18.0.0", 15, "ipv4"],
  ["private", "fc00::", 7, "ipv6"],
  ["private", "fec0::", 10, "ipv6"],
  ["link-local", "169.254.0.0", 16, "ipv4"], // cloud metadata (169.254.169.254) lives here
  ["link-local", "fe80::", 10, "ipv6"],
  ["reserved", "0.0.0.0", 8, "ipv4"], // "this host": connecting to 0.0.0.0 reaches loopback
  ["reserved", "192.0.0.0", 24, "ipv4"],
  ["reserved", "192.0.2.0", 24, "ipv4"],
  ["reserved", "198.51.100.0", 24, "ipv4"],
  ["reserved", "203.0.113.0", 24, "ipv4"],
  ["reserved", "224.0.0.0", 3, "ipv4"], // multicast, 240/4 and broadcast
  ["reserved", "::", 96, "ipv6"], // unspecified and IPv4-compatible
  ["reserved", "64:ff9b::", 96, "ipv6"], // NAT64 and 6to4 embed an IPv4 address that may be private
  ["reserved", "64:ff9b:1::", 48, "ipv6"],
  ["reserved", "2002::", 16, "ipv6"],
  ["reserved", "2001::", 32, "ipv6"], // Teredo
  ["reserved", "2001:db8::", 32, "ipv6"],
  ["reserved", "ff00::", 8, "ipv6"],
];

// One list per kind; IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) match the IPv4 rules.
const lists = new Map<AddressKind, BlockList>();
for (const [kind, net, prefix, family] of RANGES) {
  let list = lists.get(kind);
  if (!list) lists.set(kind, (list = new BlockList()));
  list.addSubnet(net, prefix, family);
}

/** What kind of address an IP literal is (without brackets). */
export function addressKind(ip: string): AddressKind {
  const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
  for (const [kind, list] of lists) if (list.check(ip, family)) return kind;
  return "public";
}

const WHY: Record<Exclude<AddressKind, "public">, string> = {
  loopback: "a loopback address",
  private: "a private address",
  "link-local": "a link-local address (cloud metadata lives there)",
  reserved: "a reserved address",
};

const unbracket = (host: string) => (host.startsWith("[") ? host.slice(1, -1) : host);
const isLocalhostName = (host: string) => /^(.+\.)?localhost\.?$/i.test(host);
const defaultPort = (protocol: string) => (protocol === "https:" ? 443 : 80);

function allowedEntry(policy: OutboundPolicy, hostname: string, port: number): AllowedHost | undefined {
  const host = hostname.toLowerCase();
  return policy.allowedHosts.find(
    (a) => (a.hostname === host || unbracket(a.hostname) === unbracket(host)) && (a.port === undefined || a.port === port),
  );
}

/**
 * The URL may be requested: http(s) only; https unless the host is loopback and loopback is allowed,
 * or an allowed host with an `http://` entry; an IP literal must be public unless allowed. A host
 * name passes here and is checked again, by address, when the connection opens.
 */
export function checkOutboundUrl(input: string | URL, policy: OutboundPolicy = outboundPolicy()): OutboundDecision {
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return { ok: false, reason: `refused: ${String(input).slice(0, 200)} is not an absolute URL` };
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    return { ok: false, reason: `refused: ${u.protocol} URLs are not fetched; use https://` };
  const port = Number(u.port) || defaultPort(u.protocol);
  const allowed = allowedEntry(policy, u.hostname, port);
  const ip = isIP(unbracket(u.hostname)) ? unbracket(u.hostname) : undefined;
  const loopbackHost = ip ? addressKind(ip) === "loopback" : isLocalhostName(u.hostname);
  if (u.protocol === "http:" && !allowed?.http && !(loopbackHost && policy.allowLoopback)) {
    const hint = loopbackHost
      ? "plain http to loopback needs OUTBOUND_ALLOW_LOOPBACK=true (the default outside production)"
      : `use https, or allow plain http to this host with OUTBOUND_ALLOWED_HOSTS=http://${u.host}`;
    return { ok: false, reason: `refused: ${u.origin} uses plain http; ${hint}` };
  }
  if (ip) return checkOutboundAddress(u.hostname, port, ip, policy);
  return { ok: true };
}

/** The address `host` resolved to (or is) may be connected to. */
export function checkOutboundAddress(host: string, port: number, ip: string, policy: OutboundPolicy = outboundPolicy()): OutboundDecision {
  const kind = addressKind(unbracket(ip));
  if (kind === "public" || allowedEntry(policy, host, port)) return { ok: true };
  if (kind === "loopback" && policy.allowLoopback) return { ok: true };
  const what = unbracket(host) === unbracket(ip) ? `${ip} is` : `${host} resolves to ${ip},`;
  const allow = `allow the host with OUTBOUND_ALLOWED_HOSTS=${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
  const hint = kind === "loopback" ? `${allow}, or OUTBOUND_ALLOW_LOOPBACK=true outside production` : allow;
  return { ok: false, reason: `refused: ${what} ${WHY[kind]}; ${hint}` };
}

/** Throws OutboundRefusedError when the URL is refused. */
export function assertOutboundUrl(input: string | URL, policy?: OutboundPolicy): void {
  const d = checkOutboundUrl(input, policy);
  if (!d.ok) throw new OutboundRefusedError(d.reason);
}

/**
 * Field errors for the URLs of a form or REST body (backends, providers), so a refused URL is a
 * 422 naming the field when it is saved, not a failure at the first call.
 */
export function outboundFieldIssues(
  fields: Record<string, string | null | undefined>,
  policy?: OutboundPolicy,
): Record<string, string[]> | undefined {
  const issues: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!value) continue;
    const d = checkOutboundUrl(value, policy);
    if (!d.ok) issues[name] = [d.reason];
  }
  return Object.keys(issues).length ? issues : undefined;
}
