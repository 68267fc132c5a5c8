// The per-call HTTP client to backends: node:http(s) over keep-alive agents, one pool of sockets per
// backend origin. (Measured with bench/upstream-clients.ts: the same CPU per call as undici's Pool
// for these small JSON-RPC posts, ~68 µs each on a loaded machine, and undici 8 does not load on
// Node 20 at all.) The agents are the outbound ones safeFetch uses
// too: each new socket passes the outbound policy (scheme, host and every resolved address, then
// it connects to the checked address), and the SDK's session requests share the keep-alive pool.
import http, { type ClientRequest, type IncomingMessage } from "node:http";
import https from "node:https";
import { outboundAgents } from "@/lib/net/safe-fetch";

const agents = outboundAgents();

interface Target {
  secure: boolean;
  protocol: string;
  hostname: string;
  port: string | number;
  path: string;
  /** The Host header (Node adds none itself when headers come as a list). */
  host: string;
}

const parsed = new Map<string, Target>();
function parse(url: string): Target {
  let t = parsed.get(url);
  if (!t) {
    if (parsed.size > 1000) parsed.clear();
    const u = new URL(url);
    const secure = u.protocol === "https:";
    t = {
      secure,
      protocol: u.protocol,
      hostname: u.hostname.replace(/^\[|\]$/g, ""),
      port: u.port || (secure ? 443 : 80),
      path: u.pathname + u.search,
      host: u.host,
    };
    parsed.set(url, t);
  }
  return t;
}

/**
 * POSTs `body`; `onResponse` gets the response once its headers arrive, `onError` a failure before
 * that. The request is returned so the caller can end it (`destroy(reason)`: timeout, cancellation)
 * without an AbortController per call.
 */
export function postUpstream(
  url: string,
  headers: Record<string, string>,
  body: string,
  onResponse: (res: IncomingMessage) => void,
  onError: (e: Error) => void,
): ClientRequest {
  const t = parse(url);
  // Headers as a flat list: Node writes (and validates) them as they are, without building its
  // per-request header map first. The list form means Host is ours to send.
  const list = ["host", t.host, "content-length", String(Buffer.byteLength(body))];
  for (const name in headers) list.push(name, headers[name]!);
  const req = (t.secure ? https : http).request(
    {
      protocol: t.protocol,
      hostname: t.hostname,
      port: t.port,
      path: t.path,
      method: "POST",
      agent: t.secure ? agents.https : agents.http,
      headers: list,
    },
    onResponse,
  );
  req.on("error", onError);
  req.end(body);
  return req;
}

/** Closes idle keep-alive sockets (shutdown, tests). */
export function closeUpstreamAgents(): void {
  agents.http.destroy();
  agents.https.destroy();
}
