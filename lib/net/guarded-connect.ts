// The connection-time half of the outbound policy: a host name is resolved here, every address it
// resolves to is checked, and the socket is opened to the checked address itself, never to the name
// again, so a DNS answer that changes between the check and the connection (rebinding) cannot
// redirect it. The outbound agents (lib/net/safe-fetch.ts) are built with it.
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type Socket } from "node:net";
import {
  checkOutboundAddress,
  checkOutboundUrl,
  outboundPolicy,
  OutboundRefusedError,
  type OutboundPolicy,
} from "@/lib/net/outbound-policy";

export type HostLookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface GuardOptions {
  /** Read at each new connection, so a changed configuration applies without a restart. */
  policy?: () => OutboundPolicy;
  lookup?: HostLookup;
}

const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export type CheckedAddress = { address: string; family: number };

/**
 * The addresses a connection to `protocol//hostname:port` may use: the origin passes the policy
 * (scheme, allowed host, IP literal), and so does every address the name resolves to.
 */
export async function resolveOutbound(
  protocol: string,
  hostname: string,
  port: number,
  opts: GuardOptions = {},
): Promise<CheckedAddress[]> {
  const policy = (opts.policy ?? outboundPolicy)();
  const host = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  const origin = checkOutboundUrl(`${protocol}//${isIP(host) === 6 ? `[${host}]` : host}:${port}/`, policy);
  if (!origin.ok) throw new OutboundRefusedError(origin.reason);
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await (opts.lookup ?? systemLookup)(host);
  if (addresses.length === 0) throw new OutboundRefusedError(`refused: ${host} resolves to no address`);
  // All of them, not just the first: the socket may try the others when the first fails.
  for (const { address } of addresses) {
    const d = checkOutboundAddress(host, port, address, policy);
    if (!d.ok) throw new OutboundRefusedError(d.reason);
  }
  return addresses;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | CheckedAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect that answers only with the checked addresses: the socket connects
 * to what was checked (Node still tries each of them in turn), and the name never reaches DNS again.
 */
export function pinnedLookup(addresses: CheckedAddress[]) {
  return (_hostname: string, options: { all?: boolean }, cb: LookupCallback) => {
    if (options?.all) cb(null, addresses);
    else cb(null, addresses[0]!.address, addresses[0]!.family);
  };
}

type CreateConnection = (options: http.ClientRequestArgs) => Socket | undefined;
type Oncreate = (err: Error | null, socket?: Socket) => void;

/**
 * node:http(s) keep-alive agents whose new sockets go through resolveOutbound. Reused sockets are
 * not checked again: they were when they opened.
 */
export function guardedAgents(agentOptions: http.AgentOptions, guard: GuardOptions = {}): { http: http.Agent; https: https.Agent } {
  const guarded = <A extends http.Agent>(agent: A, protocol: string, defaultPort: number): A => {
    const target = agent as unknown as { createConnection: (options: http.ClientRequestArgs, oncreate: Oncreate) => Socket | undefined };
    const open = target.createConnection.bind(agent) as unknown as CreateConnection;
    // Agent.createSocket accepts a socket returned now or handed to `oncreate` later: later, here.
    target.createConnection = (options, oncreate) => {
      const hostname = String(options.host ?? options.hostname ?? "localhost");
      resolveOutbound(protocol, hostname, Number(options.port) || defaultPort, guard).then(
        (addresses) => {
          let socket: Socket | undefined;
          try {
            socket = open({ ...options, lookup: pinnedLookup(addresses) } as http.ClientRequestArgs);
          } catch (e) {
            return oncreate(e as Error);
          }
          if (socket) oncreate(null, socket);
        },
        (e: Error) => oncreate(e),
      );
      return undefined;
    };
    return agent;
  };
  return { http: guarded(new http.Agent(agentOptions), "http:", 80), https: guarded(new https.Agent(agentOptions), "https:", 443) };
}
