// What every replica's gateway knows about personal access tokens without asking the database on
// each call: tokens it verified (by hash, re-read at least every ENTRY_TTL_MS), tokens revoked since
// (polled every OAUTH_REVOCATION_POLL_MS with one indexed query, with an overlap so a late commit is
// not missed) and the admin's on/off switch (read in the same poll). A revocation or a switch made on
// this replica applies at once; elsewhere at the next poll, so within 1 s by default.
import type { Identity } from "@/lib/auth/claims";
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { PAT_SETTING_KEY, patSettingValue } from "@/lib/settings/personal-access-tokens-setting";
import { singleton } from "@/lib/singleton";

const OVERLAP_MS = 10_000;

export interface AcceptedToken {
  id: string;
  userId: string;
  name: string;
  resource: string;
  expiresAt: number;
  /** The user as stored at their last sign-in (roles and groups as last seen). */
  identity: Identity;
  /** Until when this entry may be used without reading the row again. */
  until: number;
  /** When this replica last wrote lastUsedAt (ms), to write it at most once a minute. */
  lastUseWritten: number;
}

interface State {
  enabled: boolean;
  tokens: Map<string, AcceptedToken>;
  /** token hash → until when to remember the revocation (the token's own expiry). */
  revoked: Map<string, number>;
  loaded?: Promise<void>;
  ready: boolean;
  timer?: NodeJS.Timeout;
  since: Date;
}

export const acceptedTokens = () =>
  singleton<State>("pat.acceptedTokens", () => ({
    enabled: true,
    tokens: new Map(),
    revoked: new Map(),
    ready: false,
    since: new Date(0),
  }));

/** Resolves once the first poll has run (every call after the first: already resolved). */
export function acceptedTokensReady(): true | Promise<void> {
  const s = acceptedTokens();
  if (!s.loaded) start(s);
  return s.ready ? true : s.loaded!;
}

/** This replica forgets the token at once; others at their next poll (the row's revokedAt). */
export function markTokenRevoked(tokenHash: string, expiresAt: Date): void {
  const s = acceptedTokens();
  s.tokens.delete(tokenHash);
  s.revoked.set(tokenHash, expiresAt.getTime());
}

export function setPersonalAccessTokensAccepted(enabled: boolean): void {
  acceptedTokens().enabled = enabled;
}

function start(s: State): void {
  s.loaded = poll(s).then(() => {
    s.ready = true;
    s.timer = setInterval(() => void poll(s), env().OAUTH_REVOCATION_POLL_MS);
    s.timer.unref();
  });
}

async function poll(s: State): Promise<void> {
  const startedAt = Date.now();
  try {
    const db = getDb();
    const [rows, setting] = await Promise.all([
      db.personalAccessToken.findMany({
        where: { revokedAt: { gt: new Date(s.since.getTime() - OVERLAP_MS) }, expiresAt: { gt: new Date() } },
        select: { tokenHash: true, expiresAt: true },
      }),
      db.setting.findUnique({ where: { key: PAT_SETTING_KEY }, select: { value: true } }),
    ]);
    for (const row of rows) markTokenRevoked(row.tokenHash, row.expiresAt);
    for (const [hash, until] of s.revoked) if (until <= startedAt) s.revoked.delete(hash);
    s.enabled = patSettingValue(setting?.value);
    s.since = new Date(startedAt);
  } catch (e) {
    log.warn({ err: (e as Error).message }, "reading revoked personal access tokens failed; retrying at the next poll");
  }
}

/** Stops polling (shutdown and tests). */
export function stopAcceptedTokens(): void {
  clearInterval(acceptedTokens().timer);
}
