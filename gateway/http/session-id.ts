// The Mcp-Session-Id the gateway issues at initialize is not a key into server memory: it is a
// signed, self-contained record of what the client declared (protocol version, URL elicitation),
// bound to the caller's issuer and sub. Any replica verifies it, so the gateway stays stateless.
// Format: base64url(JSON payload) "." base64url(HMAC-SHA256 over the payload part).
import { createHmac, timingSafeEqual } from "node:crypto";
import { getKeyring } from "@/lib/crypto/keyring";
import { singleton } from "@/lib/singleton";
import type { McpCaller, ClientSession } from "@/gateway/types";

interface Payload {
  /** issuer and sub of the caller, so a session id copied to another user's client is refused */
  u: string;
  v: string;
  e: 0 | 1;
  t: number;
}

const MAX_VERIFIED = 10_000;

// Derived from the active key: rotating keys ends every session, and clients re-initialize (404).
const keys = singleton("gateway.sessionKey", () => new Map<string, Buffer>());
// Ids whose MAC checked out, by exact text and key, with their owner: a client sends the same id on
// every call, and the HMAC (~8 µs) is then paid once. The owner is compared on every read.
const verified = singleton("gateway.verifiedSessionIds", () => new Map<string, { kid: string; owner: string; session: ClientSession }>());

function sessionKey(): { kid: string; key: Buffer } {
  const keyring = getKeyring();
  const kid = keyring.activeKid;
  let key = keys.get(kid);
  if (!key) keys.set(kid, (key = Buffer.from(keyring.deriveSecret("mcp-session-id"), "base64url")));
  return { kid, key };
}

const sign = (data: string, key: Buffer) => createHmac("sha256", key).update(data).digest("base64url");
const owner = (caller: Pick<McpCaller, "issuer" | "sub">) => `${caller.issuer} ${caller.sub}`;

export function issueSessionId(caller: Pick<McpCaller, "issuer" | "sub">, session: ClientSession): string {
  const payload: Payload = { u: owner(caller), v: session.protocolVersion, e: session.elicitationUrl ? 1 : 0, t: Math.floor(session.issuedAt / 1000) };
  const data = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${data}.${sign(data, sessionKey().key)}`;
}

/** The session, or undefined when the id is forged, from another key, or another user's. */
export function readSessionId(id: string, caller: Pick<McpCaller, "issuer" | "sub">): ClientSession | undefined {
  const { kid, key } = sessionKey();
  const hit = verified.get(id);
  if (hit && hit.kid === kid) return hit.owner === owner(caller) ? { ...hit.session } : undefined;
  const dot = id.indexOf(".");
  if (dot <= 0 || id.length > 2048) return undefined;
  const data = id.slice(0, dot);
  const given = Buffer.from(id.slice(dot + 1), "base64url");
  const expected = Buffer.from(sign(data, key), "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let p: Payload;
  try {
    p = JSON.parse(Buffer.from(data, "base64url").toString("utf8")) as Payload;
  } catch {
    return undefined;
  }
  const session: ClientSession = { protocolVersion: p.v, elicitationUrl: p.e === 1, issuedAt: p.t * 1000 };
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
  verified.set(id, { kid, owner: String(p.u), session });
  return p.u === owner(caller) ? { ...session } : undefined;
}
