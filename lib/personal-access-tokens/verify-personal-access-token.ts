// The verifier of personal access tokens: shape, the admin's switch, revocation, expiry and the one
// endpoint the token is for, then the user it acts as. A token seen before is answered from memory,
// synchronously (no promise on the per-call path); an unknown one costs one indexed read by hash, and
// a miss is never remembered, so a token is accepted only after its row was read.
import type { Identity } from "@/lib/auth/claims";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { acceptedTokens, acceptedTokensReady, type AcceptedToken } from "@/lib/personal-access-tokens/accepted-tokens";
import { hashPersonalAccessToken, hasPersonalAccessTokenShape } from "@/lib/personal-access-tokens/token-format";
import { singleton } from "@/lib/singleton";

const ENTRY_TTL_MS = 60_000;
const LAST_USE_EVERY_MS = 60_000;
const MAX_ENTRIES = 20_000;

/** `resource` is the endpoint path being called: /api/mcp or /api/mcp/<slug>. */
export function verifyPersonalAccessToken(token: string, resource: string): AcceptedToken | Promise<AcceptedToken> {
  if (!hasPersonalAccessTokenShape(token)) throw refused("This is not a valid Gatehouse personal access token.");
  const ready = acceptedTokensReady();
  if (ready !== true) return ready.then(() => check(token, resource));
  return check(token, resource);
}

function check(token: string, resource: string): AcceptedToken | Promise<AcceptedToken> {
  const s = acceptedTokens();
  if (!s.enabled)
    throw refused("Personal access tokens are turned off on this Gatehouse. Ask an administrator, or connect with OAuth sign-in.");
  const hash = hashPersonalAccessToken(token);
  const hit = s.tokens.get(hash);
  if (hit && hit.until > Date.now()) return accept(hash, hit, resource);
  return load(hash).then((entry) => accept(hash, entry, resource));
}

function accept(hash: string, entry: AcceptedToken, resource: string): AcceptedToken {
  const now = Date.now();
  const revokedUntil = acceptedTokens().revoked.get(hash);
  if (revokedUntil !== undefined && revokedUntil > now) throw refused("This personal access token was revoked.");
  if (entry.expiresAt <= now) throw refused("This personal access token has expired. Create a new one in Gatehouse under Tokens.");
  if (entry.resource !== resource) throw refused(`This personal access token is for ${entry.resource} only.`);
  if (now - entry.lastUseWritten > LAST_USE_EVERY_MS) {
    entry.lastUseWritten = now;
    getDb()
      .personalAccessToken.update({ where: { id: entry.id }, data: { lastUsedAt: new Date(now) }, select: { id: true } })
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, "recording a personal access token's last use failed"));
  }
  return entry;
}

// Concurrent first calls with one token read its row once.
const pending = () => singleton("pat.pendingLoads", () => new Map<string, Promise<AcceptedToken>>());

function load(hash: string): Promise<AcceptedToken> {
  const loads = pending();
  let loading = loads.get(hash);
  if (!loading) {
    loading = read(hash).finally(() => loads.delete(hash));
    loads.set(hash, loading);
  }
  return loading;
}

async function read(hash: string): Promise<AcceptedToken> {
  const row = await getDb().personalAccessToken.findUnique({
    where: { tokenHash: hash },
    select: {
      id: true,
      userId: true,
      name: true,
      resource: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      user: { select: { issuer: true, sub: true, username: true, email: true, name: true, roles: true, groups: true } },
    },
  });
  if (!row) throw refused("This personal access token is not known to Gatehouse (it may have been deleted).");
  if (row.revokedAt) throw refused("This personal access token was revoked.");
  const { user } = row;
  const identity: Identity = {
    issuer: user.issuer,
    sub: user.sub,
    username: user.username ?? undefined,
    email: user.email ?? undefined,
    name: user.name ?? undefined,
    roles: user.roles,
    groups: user.groups,
  };
  const entry: AcceptedToken = {
    id: row.id,
    userId: row.userId,
    name: row.name,
    resource: row.resource,
    expiresAt: row.expiresAt.getTime(),
    identity,
    until: Date.now() + ENTRY_TTL_MS,
    lastUseWritten: row.lastUsedAt?.getTime() ?? 0,
  };
  const tokens = acceptedTokens().tokens;
  if (tokens.size >= MAX_ENTRIES) tokens.clear();
  tokens.set(hash, entry);
  return entry;
}

const refused = (message: string) => new AppError("unauthorized", message);
