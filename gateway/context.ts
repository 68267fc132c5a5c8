// What a request handler gets: the gateway's long-lived parts and this request's caller and scope.
import type { CatalogStore } from "@/gateway/catalog/catalog";
import type { PendingAnswers } from "@/gateway/client-input/answers";
import type { CredentialStore } from "@/gateway/credentials/credentials";
import type { Era } from "@/gateway/http/era";
import type { UserCache } from "@/gateway/inbound/user-cache";
import type { VerifiedTokens } from "@/gateway/inbound/verified-tokens";
import type { ChangeFeed } from "@/gateway/methods/list-changes";
import type { ResourceSubscriptions } from "@/gateway/methods/resource-subscriptions";
import type { ClientSession, McpCaller } from "@/gateway/types";
import type { ClientInputSource, StreamingClientInput } from "@/gateway/upstream/call-stream";
import type { ForwardDeps } from "@/gateway/upstream/forward-call";
import type { InflightCalls } from "@/gateway/upstream/inflight";
import type { UpstreamPool } from "@/gateway/upstream/session-pool";
import type { UpstreamListeners } from "@/gateway/upstream/upstream-listeners";
import type { RuntimeBackend } from "@/lib/backends/runtime";

export interface GatewayParts {
  users: UserCache;
  tokens: VerifiedTokens;
  credentials: CredentialStore;
  pool: UpstreamPool;
  catalogs: CatalogStore;
  inflight: InflightCalls;
  forward: ForwardDeps;
  /** Answers the client owes mid-call requests held by this replica (routed between replicas by the bus). */
  answers: PendingAnswers;
  /** What listening clients hear, the same on every replica (gateway/methods/list-changes.ts). */
  changeFeed: ChangeFeed;
  /** Handshake-era clients' resource subscriptions, by session, known on every replica. */
  subscriptions: ResourceSubscriptions;
  /** Upstream listeners held for the clients listening on this replica. */
  listeners: UpstreamListeners;
  /** How a call asks its client for input mid-call (see gateway/upstream/call-stream.ts). */
  clientInput: ClientInputSource;
}

export interface RequestContext {
  parts: GatewayParts;
  caller: McpCaller;
  /** From the signed Mcp-Session-Id (handshake era) or the request's own `_meta` (2026-07-28); undefined for a client that sent none. */
  session?: ClientSession;
  era: Era;
  /** Set at /api/mcp/<slug>: names are unprefixed there. */
  slug?: string;
  /** The backends this request may reach (enabled, visible to the caller, in scope), by slug. */
  backends: RuntimeBackend[];
  /** The request body exactly as received. */
  raw: string;
  /** See GatewayRequest.onAbort. */
  onAbort(listener: () => void): () => void;
  /** How to ask this request's client for input mid-call; none: it cannot be asked. */
  input?: StreamingClientInput;
}
