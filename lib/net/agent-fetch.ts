// fetch's request and response, over node:http(s) and a given pair of agents: the policy-guarded
// keep-alive agents (lib/net/guarded-connect.ts) that the gateway's per-call client uses as well,
// so every outbound socket opens in one place. Node's own fetch cannot take such an agent, and
// undici's Agent would add a second HTTP stack (a WebAssembly parser compiled on the first call).
// Covers what its callers send: string, URLSearchParams or byte bodies, an AbortSignal, no redirects
// (lib/net/safe-fetch.ts decides about those). Failures are TypeError("fetch failed") with the
// reason as `cause`, as with fetch; a policy refusal is thrown as itself.
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { isOutboundRefused } from "@/lib/net/outbound-policy";

export interface AgentPair {
  http: http.Agent;
  https: https.Agent;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function agentFetch(url: URL, init: RequestInit, agents: AgentPair): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    let body: string | Buffer | undefined;
    try {
      body = encodeBody(init.body, headers);
    } catch (e) {
      return reject(e);
    }
    if (body !== undefined) headers.set("content-length", String(Buffer.byteLength(body)));
    const secure = url.protocol === "https:";
    const req = (secure ? https : http).request(url, {
      method,
      headers: Object.fromEntries(headers),
      agent: secure ? agents.https : agents.http,
    });
    const onAbort = () => req.destroy(signal?.reason ?? new DOMException("This operation was aborted", "AbortError"));
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);

    req.on("response", (res) => {
      const status = res.statusCode ?? 502;
      const responseHeaders = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
      res.on("close", done);
      const empty = NULL_BODY_STATUSES.has(status) || method === "HEAD";
      if (empty) res.resume();
      const stream = empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      resolve(new Response(stream, { status, statusText: res.statusMessage, headers: responseHeaders }));
    });
    req.on("error", (e: Error) => {
      done();
      if (isOutboundRefused(e) || (signal?.aborted && e === signal.reason)) return reject(e);
      reject(Object.assign(new TypeError("fetch failed"), { cause: e }));
    });
    req.end(body);
  });
}

function encodeBody(body: RequestInit["body"], headers: Headers): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
    return body;
  }
  if (body instanceof URLSearchParams) {
    if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
    return body.toString();
  }
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("agentFetch sends string, URLSearchParams or byte bodies only");
}
