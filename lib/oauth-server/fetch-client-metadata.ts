// Fetches a Client ID Metadata Document: the one place the authorization server reaches out to a
// URL a stranger chose. It enforces what the app's outbound URL policy must: https only (plain http
// to loopback only with OAUTH_ALLOW_HTTP_CLIENT_METADATA, a development allowance); no private,
// loopback, link-local or otherwise internal address, checked on the address actually connected to
// (the DNS answer is vetted inside the socket's lookup, so a rebinding name cannot slip through);
// no redirects; at most MAX_BYTES; a TIMEOUT_MS deadline; a JSON content type.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

export const MAX_BYTES = 5 * 1024;
const TIMEOUT_MS = 5_000;

const internal = new BlockList();
for (const [net, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4]] as const) {
  internal.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96]] as const) internal.addSubnet(net, prefix, "ipv6");

export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1]!, "ipv4");
  return internal.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/** The development allowance: http://127.0.0.1… or http://localhost… client ids. */
export function isAllowedDevelopmentUrl(url: URL): boolean {
  return env().OAUTH_ALLOW_HTTP_CLIENT_METADATA && url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** The parsed JSON document, or throws an Error whose message says what was wrong (no secret in it). */
export async function fetchClientMetadata(url: URL): Promise<unknown> {
  const development = isAllowedDevelopmentUrl(url);
  if (url.protocol !== "https:" && !development) throw new Error("the client id must be an https URL");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!development && isIP(host) && isInternalAddress(host)) throw new Error(`${host} is an internal address`);
  const lookup = (hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      const bad = development ? undefined : addresses.find((a) => isInternalAddress(a.address));
      if (bad) return callback(new Error(`${hostname} resolves to an internal address (${bad.address})`));
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { lookup: lookup as never, signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: "application/json" } }, (res) => {
      const fail = (why: string) => {
        res.destroy();
        reject(new Error(why));
      };
      if (res.statusCode !== 200) return fail(`the document answered HTTP ${res.statusCode}${res.statusCode && res.statusCode >= 300 && res.statusCode < 400 ? " (redirects are not followed)" : ""}`);
      if (!/^application\/([\w.+-]+\+)?json\b/i.test(res.headers["content-type"] ?? "")) return fail("the document is not served as JSON");
      if (Number(res.headers["content-length"] ?? 0) > MAX_BYTES) return fail(`the document is larger than ${MAX_BYTES} bytes`);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) return fail(`the document is larger than ${MAX_BYTES} bytes`);
        chunks.push(chunk);
      });
      res.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          reject(new Error("the document is not valid JSON"));
        }
      });
      res.on("error", (e) => reject(e));
    });
    req.on("error", (e) => reject(e.name === "AbortError" || e.name === "TimeoutError" ? new Error(`the document did not arrive within ${TIMEOUT_MS} ms`) : e));
  });
}
