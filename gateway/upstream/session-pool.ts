// Upstream MCP sessions, one per (backend, credential identity): set up once with the SDK Client
// (initialize, the backend's Mcp-Session-Id and protocol version), reused by every call and list for
// that identity, and closed when idle, when the backend's configuration or the identity's link
// changes, or when the backend says the session expired (404; see forward-call.ts).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  PromptListChangedNotificationSchema, ResourceListChangedNotificationSchema, ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { log } from "@/lib/log";
import { safeFetch } from "@/lib/net/safe-fetch";
import type { Credential } from "@/gateway/credentials/credentials";
import { upstreamError } from "@/gateway/replies/upstream-errors";

const CLIENT_INFO = { name: "gatehouse", version: "0.1.0" };
const TERMINATE_TIMEOUT_MS = 2_000;

export interface UpstreamSession {
  readonly key: string;
  readonly backend: RuntimeBackend;
  readonly identity: string;
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport | SSEClientTransport;
  /** The current credential; refreshed on each acquire (tokens rotate, the session stays). */
  headers: Record<string, string>;
  lastUsed: number;
}

export interface UpstreamPoolOptions {
  idleMs: number;
  onListChanged(session: UpstreamSession): void;
}

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
  acquire(backend: RuntimeBackend, credential: Credential): UpstreamSession | Promise<UpstreamSession> {
    const key = `${backend.id}@${backend.version}|${credential.identity}`;
    let entry = this.sessions.get(key);
    if (!entry) {
      const session = this.create(key, backend, credential);
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

  private create(key: string, backend: RuntimeBackend, credential: Credential): UpstreamSession {
    // Every request of the SDK transport (POST, the GET stream, DELETE) carries the current credential.
    const session: Partial<UpstreamSession> & { headers: Record<string, string> } = { headers: credential.headers };
    const withCredential = (url: string | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      for (const [name, value] of Object.entries(session.headers)) headers.set(name, value);
      return safeFetch(url, { ...init, headers });
    };
    const url = new URL(backend.url);
    const transport = backend.transport === "sse" ? new SSEClientTransport(url, { fetch: withCredential }) : new StreamableHTTPClientTransport(url, { fetch: withCredential });
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    Object.assign(session, { key, backend, identity: credential.identity, client, transport, lastUsed: Date.now() });
    const done = session as UpstreamSession;
    const changed = () => this.opts.onListChanged(done);
    client.setNotificationHandler(ToolListChangedNotificationSchema, changed);
    client.setNotificationHandler(PromptListChangedNotificationSchema, changed);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, changed);
    // The optional GET stream failing (405, 401 …) is normal for stateless backends.
    client.onerror = (e) => log.debug({ backend: backend.slug, err: e.message }, "upstream session notice");
    return done;
  }

  private async connect(session: UpstreamSession): Promise<void> {
    try {
      await session.client.connect(session.transport, { timeout: session.backend.timeoutMs });
    } catch (e) {
      this.discard(session);
      throw upstreamError(session.backend, e);
    }
  }

  private async close(session: UpstreamSession): Promise<void> {
    const t = session.transport;
    if (t instanceof StreamableHTTPClientTransport && t.sessionId) {
      // Polite, not required: a backend that does not answer must not hold up a shutdown.
      const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, TERMINATE_TIMEOUT_MS).unref());
      await Promise.race([t.terminateSession().catch(() => undefined), gaveUp]);
    }
    await session.client.close().catch(() => undefined);
  }
}
