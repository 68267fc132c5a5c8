// The Mcp-Session-Id the gateway issues at initialize is not a key into server memory: it is a
// signed, self-contained record of what the client declared (protocol version, URL elicitation),
// bound to the caller (issuer and sub), the OAuth client holding the token (when known) and the
// exact endpoint URL it was issued at (/api/mcp and /api/mcp/<slug> are different audiences), and
// it expires (MCP_SESSION_TTL_SECONDS). Any replica verifies it, so the gateway stays stateless.
// Format: base64url(JSON payload) "." base64url(HMAC-SHA256 over the payload part), both unpadded
// and canonical: another spelling of the same bytes is refused, so one session has one id.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { ClientSession, McpCaller } from "@/gateway/types";
import { getKeyring } from "@/lib/crypto/keyring";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";

const payloadSchema = z.object({
  /** issuer and sub of the caller, so a session id copied to another user's client is refused */
  u: z.string(),
  /** the OAuth client (azp) the token was issued to, "" when the token names none */
  c: z.string(),
  /** the endpoint URL the session was opened at */
  a: z.string(),
  v: z.string(),
  e: z.union([z.literal(0), z.literal(1)]),
  /** the client's capabilities, when small enough to carry */
  k: z.record(z.string(), z.unknown()).optional(),
  /** issued at and expires at, epoch seconds */
  t: z.number().int(),
  x: z.number().int(),
});
type Payload = z.infer<typeof payloadSchema>;

export type SessionHolder = Pick<McpCaller, "issuer" | "sub"> & { clientId?: string };

const MAX_VERIFIED = 10_000;
const MAX_ID_LENGTH = 2048;
const MAX_CAPABILITIES_LENGTH = 600;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

// Derived from the active key: rotating keys ends every session, and clients re-initialize (404).
const keys = singleton("gateway.sessionKey", () => new Map<string, Buffer>());
// Ids whose MAC checked out, by exact text and key, with what they are bound to: a client sends the
// same id on every call, and the HMAC (~8 µs) is then paid once. The binding and the expiry are
// compared on every read.
// The caller object and audience last found to match are kept too: a client's calls share one caller
// object (authenticate.ts), so the binding string is not built again on every call.
const verified = singleton(
  "gateway.verifiedSessionIds",
  () => new Map<string, { kid: string; binding: string; session: ClientSession; matched?: SessionHolder; audience?: string }>(),
);

function sessionKey(): { kid: string; key: Buffer } {
  const keyring = getKeyring();
  const kid = keyring.activeKid;
  let key = keys.get(kid);
  if (!key) keys.set(kid, (key = Buffer.from(keyring.deriveSecret("mcp-session-id"), "base64url")));
  return { kid, key };
}

const sign = (data: string, key: Buffer): Buffer => createHmac("sha256", key).update(data).digest();
const owner = (caller: SessionHolder) => `${caller.issuer} ${caller.sub}`;
const bindingOf = (u: string, c: string, a: string) => JSON.stringify([u, c, a]);

export function issueSessionId(caller: SessionHolder, audience: string, session: Omit<ClientSession, "expiresAt">): string {
  const t = Math.floor(session.issuedAt / 1000);
  const payload: Payload = {
    u: owner(caller),
    c: caller.clientId ?? "",
    a: audience,
    v: session.protocolVersion,
    e: session.elicitationUrl ? 1 : 0,
    k: session.capabilities && JSON.stringify(session.capabilities).length <= MAX_CAPABILITIES_LENGTH ? session.capabilities : undefined,
    t,
    x: t + env().MCP_SESSION_TTL_SECONDS,
  };
  const data = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${data}.${sign(data, sessionKey().key).toString("base64url")}`;
}

/**
 * The session, or undefined when the id is malformed or not canonical, forged, from another key,
 * expired, or bound to another user, client or endpoint. The caller answers 404 then (MCP: the
 * client starts a new session).
 */
export function readSessionId(id: string, caller: SessionHolder, audience: string): ClientSession | undefined {
  const { kid, key } = sessionKey();
  const hit = verified.get(id);
  if (hit && hit.kid === kid) {
    if (hit.session.expiresAt <= Date.now()) return undefined;
    if (hit.matched === caller && hit.audience === audience) return { ...hit.session };
    if (hit.binding !== bindingOf(owner(caller), caller.clientId ?? "", audience)) return undefined;
    hit.matched = caller;
    hit.audience = audience;
    return { ...hit.session };
  }
  const binding = bindingOf(owner(caller), caller.clientId ?? "", audience);
  const p = verify(id, key);
  if (!p) return undefined;
  const session: ClientSession = {
    protocolVersion: p.v,
    elicitationUrl: p.e === 1,
    capabilities: p.k,
    issuedAt: p.t * 1000,
    expiresAt: p.x * 1000,
  };
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
  verified.set(id, { kid, binding: bindingOf(p.u, p.c, p.a), session });
  return bindingOf(p.u, p.c, p.a) === binding && session.expiresAt > Date.now() ? { ...session } : undefined;
}

/** The payload of an id whose MAC is right and whose both parts are canonical base64url. */
function verify(id: string, key: Buffer): Payload | undefined {
  if (id.length > MAX_ID_LENGTH) return undefined;
  const parts = id.split(".");
  if (parts.length !== 2) return undefined;
  const [data, mac] = parts as [string, string];
  const given = canonical(mac);
  if (!data || !given) return undefined;
  const expected = sign(data, key);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const json = canonical(data);
  if (!json) return undefined;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(json.toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes, when `text` is their one base64url spelling (no padding, no stray bits, no other alphabet). */
function canonical(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}
