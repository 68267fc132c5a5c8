// fetch for every URL an admin or a user supplied, with the outbound policy applied twice: to the
// URL before anything is sent, and to the addresses its host resolves to when a socket opens (the
// guarded agents resolve, check and pin the address). Redirects are followed only within the same
// origin, at most MAX_REDIRECTS times: a token endpoint that redirects to another host could
// otherwise carry a client secret or a code there. Same signature as fetch, so oauth4webapi
// (customFetch), jose and the MCP SDK transports take it as is.
import { agentFetch, type AgentPair } from "@/lib/net/agent-fetch";
import { guardedAgents, type GuardOptions } from "@/lib/net/guarded-connect";
import { assertOutboundUrl, outboundPolicy, OutboundRefusedError } from "@/lib/net/outbound-policy";
import { singleton } from "@/lib/singleton";

const MAX_REDIRECTS = 3;

export type SafeFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * The process's outbound keep-alive agents: every socket to a URL someone configured opens here
 * (safeFetch, and the gateway's per-call client), after the policy's address check.
 */
export function outboundAgents(): AgentPair {
  return singleton("net.outboundAgents", () => guardedAgents({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, scheduling: "lifo" }));
}

export function createSafeFetch(opts: { agents?: () => AgentPair; guard?: GuardOptions } = {}): SafeFetch {
  const agents = opts.agents ?? outboundAgents;
  const policy = opts.guard?.policy ?? outboundPolicy;
  return async (input, init = {}) => {
    let url = new URL(input);
    let request = init;
    for (let hop = 0; ; hop++) {
      assertOutboundUrl(url, policy());
      const res = await agentFetch(url, request, agents());
      const location = res.headers.get("location");
      if (init.redirect === "manual" || !location || ![301, 302, 303, 307, 308].includes(res.status)) return res;
      await res.body?.cancel().catch(() => undefined);
      const next = new URL(location, url);
      if (init.redirect === "error")
        throw new OutboundRefusedError(`refused: ${url.origin} answered with a redirect, and this request follows none`);
      if (next.origin !== url.origin) {
        throw new OutboundRefusedError(
          `refused: ${url.origin} redirected to ${next.origin}; Gatehouse follows redirects only within the same host (configure the final URL instead)`,
        );
      }
      if (hop >= MAX_REDIRECTS) throw new OutboundRefusedError(`refused: ${url.origin} redirected more than ${MAX_REDIRECTS} times`);
      // Fetch's rule: 303, and 301/302 after a POST, continue as a GET without the body.
      const method = (request.method ?? "GET").toUpperCase();
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST"))
        request = { ...request, method: "GET", body: undefined };
      url = next;
    }
  };
}

/** fetch under the outbound policy, over the process's outbound agents. */
export const safeFetch: SafeFetch = createSafeFetch();
