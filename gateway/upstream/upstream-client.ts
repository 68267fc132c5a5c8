// The MCP client Gatehouse speaks to a backend with: the SDK v2 Client over the backend's transport,
// every request carrying the current credential. It finds the backend's era at connect (tries
// `server/discover`, falls back to `initialize`) and declares, in either era, the capabilities and
// protocol version of the clients it serves (`declared`): the session pool keeps one session per
// (backend, credential identity, declaration); the console's Test connection opens one, lists the
// tools and closes it.
import { Client, SSEClientTransport, StreamableHTTPClientTransport, type ConnectOptions } from "@modelcontextprotocol/client";
import type { Credential } from "@/gateway/credentials/credentials";
import type { ClientInputChannel } from "@/gateway/upstream/client-input";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { log } from "@/lib/log";
import { safeFetch } from "@/lib/net/safe-fetch";

type PriorDiscovery = NonNullable<ConnectOptions["prior"]>;

const CLIENT_INFO = { name: "gatehouse", version: "0.1.0" };
const TERMINATE_TIMEOUT_MS = 2_000;
export const MODERN_VERSION = "2026-07-28";
export const HANDSHAKE_VERSION = "2025-11-25";
const HANDSHAKE_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "2024-10-07"];

export type BackendEra = "2025-11-25" | "2026-07-28";

/** What Gatehouse tells the backend about its client: capabilities and (handshake era) protocol version. */
export interface Declared {
  capabilities: Record<string, unknown>;
  protocolVersion?: string;
}

export interface UpstreamSession {
  readonly key: string;
  readonly backend: RuntimeBackend;
  readonly identity: string;
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport | SSEClientTransport;
  readonly declared: Declared;
  /** Known once connected. */
  era: BackendEra;
  protocolVersion: string;
  /** The current credential; refreshed on each acquire (tokens rotate, the session stays). */
  headers: Record<string, string>;
  lastUsed: number;
  /** Calls in flight whose client can answer a request the backend sends on its standalone stream. */
  readonly inputs: Set<ClientInputChannel>;
}

/** The fetch every upstream MCP request goes through: the outbound URL policy's. */
const upstreamFetch = (url: string | URL, init?: RequestInit) => safeFetch(url, init);

/** A session not yet connected: `connectUpstreamSession` finds the era and runs the handshake if any. */
export function createUpstreamSession(
  key: string,
  backend: RuntimeBackend,
  credential: Credential,
  onListChanged: (session: UpstreamSession) => void = () => undefined,
  declared: Declared = { capabilities: {} },
  onResourceUpdated: (session: UpstreamSession, uri: string) => void = () => undefined,
): UpstreamSession {
  // Every request of the SDK transport (POST, the GET stream, DELETE) carries the current credential.
  const session: Partial<UpstreamSession> & { headers: Record<string, string> } = { headers: credential.headers };
  const withCredential = (url: string | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(session.headers)) headers.set(name, value);
    return upstreamFetch(url, { ...init, headers });
  };
  const url = new URL(backend.url);
  const sse = backend.transport === "sse";
  const transport = sse
    ? new SSEClientTransport(url, { fetch: withCredential })
    : new StreamableHTTPClientTransport(url, { fetch: withCredential });
  // The client's own version first: the handshake offers the first 2025-era entry of this list.
  const versions = [MODERN_VERSION, ...new Set([declared.protocolVersion ?? HANDSHAKE_VERSION, ...HANDSHAKE_VERSIONS])];
  const client = new Client(CLIENT_INFO, {
    capabilities: declared.capabilities,
    supportedProtocolVersions: sse ? versions.slice(1) : versions,
    versionNegotiation: { mode: sse ? "legacy" : "auto" },
    // The gateway passes a backend's input_required on (forward-call.ts); lists never need input.
    inputRequired: { autoFulfill: false },
  });
  Object.assign(session, {
    key,
    backend,
    identity: credential.identity,
    client,
    transport,
    declared,
    era: HANDSHAKE_VERSION,
    protocolVersion: HANDSHAKE_VERSION,
    lastUsed: Date.now(),
    inputs: new Set(),
  });
  const done = session as UpstreamSession;
  const changed = () => onListChanged(done);
  client.setNotificationHandler("notifications/tools/list_changed", changed);
  client.setNotificationHandler("notifications/prompts/list_changed", changed);
  client.setNotificationHandler("notifications/resources/list_changed", changed);
  // On a handshake backend's standalone stream, or a 2026 backend's subscriptions/listen (upstream-listeners.ts).
  client.setNotificationHandler("notifications/resources/updated", (n) => onResourceUpdated(done, n.params.uri));
  answerOnStandaloneStream(done);
  // The optional GET stream failing (405, 401 …) is normal for stateless backends.
  client.onerror = (e) => log.debug({ backend: backend.slug, err: e.message }, "upstream session notice");
  return done;
}

/**
 * A request the backend sends on its standalone stream (not on a call's) goes to the client of the
 * latest call in flight on this session: with none, the backend is told no client is there.
 */
function answerOnStandaloneStream(session: UpstreamSession): void {
  const caps = session.declared.capabilities;
  const relay = (method: string) => async (request: { params?: unknown }) => {
    const input = [...session.inputs].at(-1);
    if (!input) throw new Error("No client is waiting on this session.");
    const answers = await input.ask([{ id: "standalone", method, params: (request.params ?? {}) as Record<string, unknown> }]);
    return answers.standalone as never;
  };
  if (caps.elicitation) session.client.setRequestHandler("elicitation/create", relay("elicitation/create"));
  if (caps.sampling) session.client.setRequestHandler("sampling/createMessage", relay("sampling/createMessage"));
  if (caps.roots) session.client.setRequestHandler("roots/list", relay("roots/list"));
}

/** What this process last found a backend to speak, so the next session skips the probe for a while. */
const knownEras = new Map<string, { prior: PriorDiscovery; until: number }>();
const KNOWN_ERA_MS = 10 * 60_000;

/**
 * The era discovery and, for a handshake backend, the handshake, within the backend's timeout.
 * `fresh`: probe even when this process knows the era (Test connection).
 */
export async function connectUpstreamSession(session: UpstreamSession, opts: { fresh?: boolean } = {}): Promise<void> {
  const { backend, client } = session;
  const eraKey = `${backend.id}@${backend.version}`;
  const known = opts.fresh || backend.transport === "sse" ? undefined : knownEras.get(eraKey);
  const prior = known && known.until > Date.now() ? known.prior : undefined;
  await client.connect(session.transport, { timeout: backend.timeoutMs, ...(prior ? { prior } : {}) });
  const discovered = client.getDiscoverResult();
  if (knownEras.size > 1000) knownEras.clear();
  knownEras.set(eraKey, {
    prior: client.getProtocolEra() === "modern" && discovered ? { kind: "modern", discover: discovered } : { kind: "legacy" },
    until: prior && known ? known.until : Date.now() + KNOWN_ERA_MS,
  });
  const modern = session.client.getProtocolEra() === "modern";
  session.era = modern ? MODERN_VERSION : HANDSHAKE_VERSION;
  session.protocolVersion = session.client.getNegotiatedProtocolVersion() ?? session.era;
}

/** Ends the session at the backend (politely, within a bound) and closes the client. */
export async function closeUpstreamSession(session: UpstreamSession): Promise<void> {
  const t = session.transport;
  if (t instanceof StreamableHTTPClientTransport && t.sessionId) {
    // Polite, not required: a backend that does not answer must not hold up a shutdown.
    const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, TERMINATE_TIMEOUT_MS).unref());
    await Promise.race([t.terminateSession().catch(() => undefined), gaveUp]);
  }
  await session.client.close().catch(() => undefined);
}
