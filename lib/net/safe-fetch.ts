// fetch for every URL an admin or a user supplied, with the outbound policy applied twice: to the
// URL before anything is sent, and to the addresses its host resolves to when a connection opens
// (an undici Agent whose connector resolves, checks and pins the address). Redirects are followed
// only within the same origin, at most MAX_REDIRECTS times: a token endpoint that redirects to
// another host could otherwise carry a client secret or a code there. Same signature as fetch, so
// oauth4webapi (customFetch) and the MCP SDK transports take it as is.
import { Agent, buildConnector, type Dispatcher } from "undici";
import { pinnedLookup, resolveOutbound, type GuardOptions } from "@/lib/net/guarded-connect";
import { assertOutboundUrl, isOutboundRefused, outboundPolicy, OutboundRefusedError } from "@/lib/net/outbound-policy";
import { singleton } from "@/lib/singleton";

const MAX_REDIRECTS = 3;
const CONNECT_TIMEOUT_MS = 10_000;

export type SafeFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** An undici Agent whose every new connection passes the policy (resolveOutbound). */
export function createOutboundAgent(guard: GuardOptions = {}): Agent {
  return new Agent({
    connect: (opts, callback) => {
      const port = Number(opts.port) || (opts.protocol === "https:" ? 443 : 80);
      resolveOutbound(opts.protocol, opts.hostname, port, guard).then(
        (addresses) => buildConnector({ timeout: CONNECT_TIMEOUT_MS, lookup: pinnedLookup(addresses) } as buildConnector.BuildOptions)(opts, callback),
        (e: Error) => callback(e, null),
      );
    },
  });
}

/** The process's outbound agent (its pooled connections are shared by every safe fetch). */
export function outboundAgent(): Agent {
  return singleton("net.outboundAgent", () => createOutboundAgent());
}

export function createSafeFetch(opts: { agent?: () => Dispatcher; guard?: GuardOptions } = {}): SafeFetch {
  const agent = opts.agent ?? outboundAgent;
  const policy = opts.guard?.policy ?? outboundPolicy;
  return async (input, init = {}) => {
    let url = new URL(input);
    let request = init;
    for (let hop = 0; ; hop++) {
      assertOutboundUrl(url, policy());
      const res = await send(url, request, agent());
      const location = res.headers.get("location");
      if (init.redirect === "manual" || !location || ![301, 302, 303, 307, 308].includes(res.status)) return res;
      await res.body?.cancel().catch(() => undefined);
      const next = new URL(location, url);
      if (init.redirect === "error") throw new OutboundRefusedError(`refused: ${url.origin} answered with a redirect, and this request follows none`);
      if (next.origin !== url.origin) {
        throw new OutboundRefusedError(`refused: ${url.origin} redirected to ${next.origin}; Gatehouse follows redirects only within the same host (configure the final URL instead)`);
      }
      if (hop >= MAX_REDIRECTS) throw new OutboundRefusedError(`refused: ${url.origin} redirected more than ${MAX_REDIRECTS} times`);
      // Fetch's rule: 303, and 301/302 after a POST, continue as a GET without the body.
      const method = (request.method ?? "GET").toUpperCase();
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) request = { ...request, method: "GET", body: undefined };
      url = next;
    }
  };
}

async function send(url: URL, init: RequestInit, dispatcher: Dispatcher): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: "manual", dispatcher } as RequestInit);
  } catch (e) {
    // fetch reports a refused connection as "fetch failed" with the reason as its cause: surface the reason.
    const cause = (e as { cause?: unknown }).cause;
    if (isOutboundRefused(cause)) throw cause;
    throw e;
  }
}

/** fetch under the outbound policy, with the process's agent. */
export const safeFetch: SafeFetch = createSafeFetch();
