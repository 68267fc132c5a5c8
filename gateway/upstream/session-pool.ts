// Upstream MCP sessions, one per (backend, credential identity, what is declared for the client):
// set up once with the SDK Client (the backend's era; for a handshake backend initialize, its
// Mcp-Session-Id and protocol version), reused by every call and list for that key, and closed when idle, when the backend's configuration or the identity's link
// changes, or when the backend says the session expired (404; see forward-call.ts).
import { secretsInPlay, type Credential } from "@/gateway/credentials/credentials";
import { upstreamError } from "@/gateway/replies/upstream-errors";
import {
  closeUpstreamSession,
  connectUpstreamSession,
  createUpstreamSession,
  type Declared,
  type UpstreamSession,
} from "@/gateway/upstream/upstream-client";
import { recordBackendEra } from "@/lib/backends/record-backend-era";
import type { RuntimeBackend } from "@/lib/backends/runtime";

export type { UpstreamSession } from "@/gateway/upstream/upstream-client";

export interface UpstreamPoolOptions {
  idleMs: number;
  onListChanged(session: UpstreamSession): void;
  /** A backend said a resource changed (only upstream-listeners.ts subscribes sessions to any). */
  onResourceUpdated?(session: UpstreamSession, uri: string): void;
}

const NOTHING_DECLARED: Declared = { capabilities: {} };

/** Clients that declare the same get the same session: the key is small and stable. */
function declarationKey(d: Declared): string {
  if (d === NOTHING_DECLARED) return "";
  let key = declarationKeys.get(d);
  if (key === undefined) {
    const names = Object.keys(d.capabilities).sort();
    key = names.length === 0 && !d.protocolVersion ? "" : `|${d.protocolVersion ?? ""}|${JSON.stringify(d.capabilities, names)}`;
    declarationKeys.set(d, key);
  }
  return key;
}

// declaredFor() (forward-call.ts) hands out the same Declared for the same client session.
const declarationKeys = new WeakMap<Declared, string>();

interface Entry {
  session: UpstreamSession;
  ready: Promise<void>;
  connected: boolean;
}

export class UpstreamPool {
  private readonly sessions = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly opts: UpstreamPoolOptions) {
    this.sweeper = setInterval(() => this.evict((s) => Date.now() - s.lastUsed > opts.idleMs), Math.min(opts.idleMs, 60_000));
    this.sweeper.unref();
  }

  /**
   * The ready session for this backend and credential, connecting it first when there is none. A
   * connected session is returned as is (no promise on the per-call path); otherwise a promise.
   */
  acquire(backend: RuntimeBackend, credential: Credential, declared = NOTHING_DECLARED): UpstreamSession | Promise<UpstreamSession> {
    const key = `${backend.id}@${backend.version}|${credential.identity}${declarationKey(declared)}`;
    let entry = this.sessions.get(key);
    if (!entry) {
      const session = createUpstreamSession(key, backend, credential, this.opts.onListChanged, declared, this.opts.onResourceUpdated);
      const created: Entry = { session, connected: false, ready: this.connect(session).then(() => void (created.connected = true)) };
      this.sessions.set(key, (entry = created));
    }
    entry.session.headers = credential.headers;
    entry.session.lastUsed = Date.now();
    if (entry.connected) return entry.session;
    const { session, ready } = entry;
    return ready.then(() => session);
  }

  /** Closes every session for which `match` holds. */
  evict(match: (s: UpstreamSession) => boolean): void {
    for (const [key, { session }] of this.sessions) {
      if (!match(session)) continue;
      this.sessions.delete(key);
      void this.close(session);
    }
  }

  /** Drops one session (its backend said it expired) without telling the backend. */
  discard(session: UpstreamSession): void {
    if (this.sessions.get(session.key)?.session === session) this.sessions.delete(session.key);
    void session.client.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()].map((e) => e.session);
    this.sessions.clear();
    await Promise.allSettled(all.map((s) => this.close(s)));
  }

  get size(): number {
    return this.sessions.size;
  }

  private async connect(session: UpstreamSession): Promise<void> {
    try {
      await connectUpstreamSession(session);
      void recordBackendEra(session.backend.id, session.era, session.protocolVersion);
    } catch (e) {
      this.discard(session);
      throw upstreamError(session.backend, e, secretsInPlay(session.backend, { headers: session.headers, identity: session.identity }));
    }
  }

  private close(session: UpstreamSession): Promise<void> {
    return closeUpstreamSession(session);
  }
}
