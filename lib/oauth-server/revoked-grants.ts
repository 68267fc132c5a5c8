// Revoked grants, known to every replica as soon as the change bus delivers { kind: "grant" }, and
// within OAUTH_REVOCATION_POLL_MS (default 0.5 s) should that message be lost. Access
// tokens are JWTs checked locally and never stored, so revoking a grant (by the user, the client, an
// admin, or oidc-provider on a replayed code or refresh token) writes a row here; each replica's
// gateway keeps the unexpired rows in memory, polled with one indexed query, and refuses tokens
// whose grant is in the set. A poll re-reads an overlap window, so a row whose commit lagged its
// timestamp is not missed.
import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { emitChange, onChange } from "@/lib/events";
import { log } from "@/lib/log";
import { singleton } from "@/lib/singleton";

const OVERLAP_MS = 10_000;
const SKEW_MS = 60_000;

interface RevokedGrants {
  /** grant id → when its last access token expires (ms). */
  grants: Map<string, number>;
  loaded?: Promise<void>;
  ready: boolean;
  timer?: NodeJS.Timeout;
  since: Date;
}

const state = () => singleton<RevokedGrants>("oauth.revokedGrants", () => ({ grants: new Map(), ready: false, since: new Date(0) }));

const revokedUntil = () => new Date(Date.now() + env().OAUTH_ACCESS_TOKEN_TTL_SECONDS * 1000 + SKEW_MS);

/** Records a revocation (in the same process at once; elsewhere when the bus delivers it, or at the next poll). */
export async function recordRevokedGrant(grantId: string): Promise<void> {
  const expiresAt = revokedUntil();
  await getDb().oAuthRevokedGrant.upsert({
    where: { grantId },
    create: { grantId, expiresAt },
    update: { expiresAt, revokedAt: new Date() },
  });
  state().grants.set(grantId, expiresAt.getTime());
  await emitChange({ kind: "grant", id: grantId });
}

/** Synchronous once the set is loaded (every call after the first): no promise on the per-call path. */
export function isGrantRevoked(grantId: string): boolean | Promise<boolean> {
  const s = state();
  if (!s.loaded) start(s);
  if (!s.ready) return s.loaded!.then(() => revoked(s, grantId));
  return revoked(s, grantId);
}

function revoked(s: RevokedGrants, grantId: string): boolean {
  const until = s.grants.get(grantId);
  return until !== undefined && until > Date.now();
}

function start(s: RevokedGrants): void {
  onChange((event) => {
    if (event.kind === "grant") s.grants.set(event.id, revokedUntil().getTime());
    if (event.kind === "all") {
      // Messages may have been missed: re-read every unexpired row at the next poll.
      s.since = new Date(0);
      void poll(s);
    }
  });
  s.loaded = poll(s).then(() => {
    s.ready = true;
    s.timer = setInterval(() => void poll(s), env().OAUTH_REVOCATION_POLL_MS);
    s.timer.unref();
  });
}

async function poll(s: RevokedGrants): Promise<void> {
  const startedAt = Date.now();
  try {
    const rows = await getDb().oAuthRevokedGrant.findMany({
      where: { revokedAt: { gt: new Date(s.since.getTime() - OVERLAP_MS) }, expiresAt: { gt: new Date() } },
      select: { grantId: true, expiresAt: true },
    });
    for (const row of rows) s.grants.set(row.grantId, row.expiresAt.getTime());
    for (const [id, until] of s.grants) if (until <= startedAt) s.grants.delete(id);
    s.since = new Date(startedAt);
  } catch (e) {
    log.warn({ err: (e as Error).message }, "reading revoked grants failed; retrying at the next poll");
  }
}

/** Stops polling (shutdown and tests). */
export function stopRevokedGrants(): void {
  clearInterval(state().timer);
}
