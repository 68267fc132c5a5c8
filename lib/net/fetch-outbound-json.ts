// A small JSON document from a URL someone else chose (an MCP client's Client ID Metadata Document,
// a discovery document): under the outbound policy, without following any redirect, within a
// deadline, and read only up to a size limit, so a hostile server can neither point Gatehouse
// inside the network nor make it buffer an endless body.
import { readStreamWithin } from "@/lib/http/read-stream-within";
import { OutboundRefusedError } from "@/lib/net/outbound-policy";
import { safeFetch, type SafeFetch } from "@/lib/net/safe-fetch";

export interface OutboundJsonOptions {
  maxBytes?: number;
  timeoutMs?: number;
  fetch?: SafeFetch;
  /** Refuse an answer whose Content-Type is not JSON (application/json or application/*+json). */
  requireJsonContentType?: boolean;
}

const DEFAULT_MAX_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 5_000;

/** The parsed JSON; throws OutboundRefusedError (policy, redirect) or an Error naming what was wrong. */
export async function fetchOutboundJson(url: string, opts: OutboundJsonOptions = {}): Promise<unknown> {
  return (await fetchOutboundDocument(url, opts)).json;
}

/** The same, with the answer's Cache-Control, for a caller that caches the document as HTTP says. */
export async function fetchOutboundDocument(
  url: string,
  opts: OutboundJsonOptions = {},
): Promise<{ json: unknown; cacheControl: string | null }> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const signal = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const res = await (opts.fetch ?? safeFetch)(url, { headers: { accept: "application/json" }, redirect: "manual", signal });
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => undefined);
    throw new OutboundRefusedError(
      `refused: ${url} answered with a redirect (HTTP ${res.status}); the document must be served at its own URL`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`${url} answered HTTP ${res.status}`);
  }
  if (opts.requireJsonContentType && !/^application\/([\w.+-]+\+)?json\b/i.test(res.headers.get("content-type") ?? "")) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`${url} is not served as JSON (Content-Type ${res.headers.get("content-type") ?? "missing"})`);
  }
  if (Number(res.headers.get("content-length")) > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`${url} is larger than ${maxBytes} bytes`);
  }
  const text = (await readStreamWithin(res.body, maxBytes, () => new Error(`${url} is larger than ${maxBytes} bytes`))).toString("utf8");
  try {
    return { json: JSON.parse(text) as unknown, cacheControl: res.headers.get("cache-control") };
  } catch {
    throw new Error(`${url} did not answer JSON`);
  }
}
