// The gateway: its long-lived parts (user cache, credentials, upstream session pool, catalogs), kept
// correct by change events, and the request handler over them. One per process (getGateway()), shared
// by server.ts and the Next route through a globalThis singleton; tests create their own.
import { CatalogStore } from "@/gateway/catalog/catalog";
import { PendingAnswers } from "@/gateway/client-input/answers";
import { gatewayClientInput } from "@/gateway/client-input/client-input-source";
import { ParkedCalls } from "@/gateway/client-input/parked-calls";
import type { GatewayParts } from "@/gateway/context";
import {
  createCredentialStore,
  getCredentialStore,
  type Credential,
  type CredentialOptions,
  type CredentialStore,
} from "@/gateway/credentials/credentials";
import { handleRequest } from "@/gateway/handle-request";
import { createUserCache } from "@/gateway/inbound/user-cache";
import { VerifiedTokens } from "@/gateway/inbound/verified-tokens";
import { ChangeFeed } from "@/gateway/methods/list-changes";
import { ResourceSubscriptions } from "@/gateway/methods/resource-subscriptions";
import type { GatewayReply, GatewayRequest } from "@/gateway/types";
import type { ClientInputSource } from "@/gateway/upstream/call-stream";
import { InflightCalls } from "@/gateway/upstream/inflight";
import { UpstreamPool, type UpstreamSession } from "@/gateway/upstream/session-pool";
import { closeUpstreamAgents } from "@/gateway/upstream/upstream-http";
import { UpstreamListeners } from "@/gateway/upstream/upstream-listeners";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { bus } from "@/lib/bus/bus";
import { DATABASE_UNAVAILABLE, isDatabaseError } from "@/lib/db/database-error";
import { env } from "@/lib/env";
import { onChange, type ChangeEvent } from "@/lib/events";
import { RPC } from "@/lib/json-rpc-errors";
import { invalidateLink } from "@/lib/links/token-cache";
import { log } from "@/lib/log";
import { singleton } from "@/lib/singleton";
import { traceRequest } from "@/lib/tracing/spans";

export interface GatewayOptions {
  /** How long a backend's list is served before a background refresh (default 60 s). */
  listTtlMs?: number;
  /** Upstream sessions unused this long are closed (default 10 min). */
  sessionIdleMs?: number;
  credentials?: CredentialOptions;
  /** A store to share (the process's, which Test connection uses too); else one of its own. */
  credentialStore?: CredentialStore;
  /** How calls ask their clients for input mid-call (a backend's elicitation, sampling, roots). */
  clientInput?: ClientInputSource;
  /** How long a call waits for a 2026-07-28 client's retry with the input it asked for (default 5 min). */
  inputRoundMs?: number;
}

export interface Gateway {
  handle(req: GatewayRequest): Promise<GatewayReply>;
  /** Open upstream sessions (for tests and metrics). */
  readonly upstreamSessions: number;
  close(): Promise<void>;
}

export function createGateway(opts: GatewayOptions = {}): Gateway {
  const catalogs = new CatalogStore(opts.listTtlMs ?? 60_000, { mergedListBytes: env().GATEWAY_LIST_CACHE_MB * 1024 * 1024 });
  const changeFeed = new ChangeFeed(bus());
  const subscriptions = new ResourceSubscriptions(bus());
  // A backend's list changed, heard from another replica: every identity's copy here is stale too.
  const stopListening = changeFeed.listen((event) => {
    if (event.kind === "list_changed" && !changeFeed.isOwn(event)) catalogs.invalidate((id) => id === event.backendId);
  });
  const onListChanged = (s: UpstreamSession) => {
    catalogs.invalidate((backendId, identity) => backendId === s.backend.id && identity === s.identity);
    changeFeed.announce(s.backend.id);
  };
  const pool = new UpstreamPool({
    idleMs: opts.sessionIdleMs ?? 10 * 60_000,
    onListChanged,
    onResourceUpdated: (s, uri) => listeners.heard(s, uri),
  });
  const listeners = new UpstreamListeners({ pool, feed: changeFeed });
  const inflight = new InflightCalls();
  const answers = new PendingAnswers(bus());
  const parked = new ParkedCalls(bus());
  const stopCancelling = inflight.listen(bus());
  const parts: GatewayParts = {
    users: createUserCache({ maxEntries: env().GATEWAY_USER_CACHE_SIZE }),
    tokens: new VerifiedTokens(env().GATEWAY_VERIFIED_TOKEN_CACHE_SIZE),
    credentials: opts.credentialStore ?? createCredentialStore(opts.credentials),
    pool,
    catalogs,
    inflight,
    forward: { pool, inflight, onListChanged, onCredentialRejected: (backend, credential) => dropRejected(parts, backend, credential) },
    answers,
    changeFeed,
    subscriptions,
    listeners,
    clientInput: opts.clientInput ?? gatewayClientInput({ answers, parked, inflight, roundMs: opts.inputRoundMs }),
  };
  const unsubscribe = onChange((event) => forget(parts, event));

  return {
    handle(req) {
      // Not async: one promise less per call.
      const failed = (e: unknown): GatewayReply => {
        log.error({ err: (e as Error).message, path: req.path }, "MCP request failed");
        // The database down: a retryable 503 that names no host or driver.
        const unavailable = isDatabaseError(e);
        return {
          status: unavailable ? 503 : 500,
          headers: { "content-type": "application/json", ...(unavailable ? { "retry-after": "2" } : {}) },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: null,
            error: { code: RPC.internalError, message: unavailable ? DATABASE_UNAVAILABLE : "Internal error in the gateway." },
          }),
        };
      };
      try {
        return traceRequest(req.header, () => handleRequest(parts, req)).catch(failed);
      } catch (e) {
        return Promise.resolve(failed(e));
      }
    },
    get upstreamSessions() {
      return pool.size;
    },
    async close() {
      unsubscribe();
      stopListening();
      answers.close();
      parked.close();
      changeFeed.close();
      subscriptions.close();
      stopCancelling();
      await listeners.close();
      await pool.closeAll();
    },
  };
}

/** Drops what a committed change made stale: sessions, catalogs and tokens of the backends concerned. */
function forget(parts: GatewayParts, event: ChangeEvent): void {
  if (event.kind === "all") {
    // This replica may have missed changes: nothing cached can be trusted.
    parts.pool.evict(() => true);
    parts.catalogs.invalidate(() => true);
    parts.credentials.dropAll?.();
    parts.users.clear();
    return;
  }
  if (event.kind === "user") {
    parts.users.clear();
    parts.catalogs.invalidate((_backendId, identity) => identity.startsWith(`user:${event.id}:`));
    return;
  }
  // Grants and tokens are checked per call against their own sets (revoked-grants.ts).
  if (event.kind === "grant" || event.kind === "token") return;
  if (event.kind === "backend") {
    parts.pool.evict((s) => s.backend.id === event.id);
    parts.catalogs.forgetBackend(event.id);
    parts.credentials.dropBackend(event.id);
    return;
  }
  // Linked-account identities are `user:<id>:link:<linkId>` (credentials/linked-account.ts).
  const providerId = event.kind === "link" ? event.providerId : event.id;
  const linked = (identity: string) =>
    event.kind === "link" ? identity.startsWith(`user:${event.userId}:link:`) : identity.includes(":link:");
  parts.pool.evict((s) => s.backend.auth?.mode === "linked_account" && s.backend.auth.providerId === providerId && linked(s.identity));
  parts.catalogs.invalidate((_backendId, identity) => linked(identity));
}

/** A backend refused a credential (401): its cached forms are stale (revoked at the provider, rotated secret). */
function dropRejected(parts: GatewayParts, backend: RuntimeBackend, credential: Credential): void {
  parts.pool.evict((s) => s.backend.id === backend.id && s.identity === credential.identity);
  const auth = backend.auth;
  if (auth?.mode === "linked_account") {
    // Identities are `user:<userId>:link:<linkId>` (credentials/linked-account.ts).
    const userId = /^user:([^:]+):link:/.exec(credential.identity)?.[1];
    if (userId) invalidateLink(userId, auth.providerId);
  } else parts.credentials.dropBackend(backend.id);
}

/** The process's gateway. */
export function getGateway(): Gateway {
  return singleton("gateway", () => createGateway({ credentialStore: getCredentialStore() }));
}

/** Graceful shutdown: upstream sessions and keep-alive sockets. */
export async function closeGateway(): Promise<void> {
  const holder = globalThis as unknown as Record<symbol, Gateway | undefined>;
  const key = Symbol.for("gatehouse.gateway");
  const gateway = holder[key];
  holder[key] = undefined;
  await gateway?.close();
  closeUpstreamAgents();
}
