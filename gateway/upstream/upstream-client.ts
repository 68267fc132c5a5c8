// The MCP client Gatehouse speaks to a backend with: the SDK Client over the backend's transport,
// every request carrying the current credential. The session pool keeps these per (backend,
// credential identity); the console's Test connection opens one, lists the tools and closes it.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Credential } from "@/gateway/credentials/credentials";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { log } from "@/lib/log";
import { safeFetch } from "@/lib/net/safe-fetch";

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

/** The fetch every upstream MCP request goes through: the outbound URL policy's. */
const upstreamFetch = (url: string | URL, init?: RequestInit) => safeFetch(url, init);

/** A session not yet connected: `connectUpstreamSession` runs the MCP handshake. */
export function createUpstreamSession(
  key: string,
  backend: RuntimeBackend,
  credential: Credential,
  onListChanged: (session: UpstreamSession) => void = () => undefined,
): UpstreamSession {
  // Every request of the SDK transport (POST, the GET stream, DELETE) carries the current credential.
  const session: Partial<UpstreamSession> & { headers: Record<string, string> } = { headers: credential.headers };
  const withCredential = (url: string | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(session.headers)) headers.set(name, value);
    return upstreamFetch(url, { ...init, headers });
  };
  const url = new URL(backend.url);
  const transport =
    backend.transport === "sse"
      ? new SSEClientTransport(url, { fetch: withCredential })
      : new StreamableHTTPClientTransport(url, { fetch: withCredential });
  // What the gateway can pass to its clients mid-call (backend-requests.ts asks the client itself).
  const client = new Client(CLIENT_INFO, { capabilities: { elicitation: { form: {} }, sampling: {} } });
  Object.assign(session, { key, backend, identity: credential.identity, client, transport, lastUsed: Date.now() });
  const done = session as UpstreamSession;
  const changed = () => onListChanged(done);
  client.setNotificationHandler(ToolListChangedNotificationSchema, changed);
  client.setNotificationHandler(PromptListChangedNotificationSchema, changed);
  client.setNotificationHandler(ResourceListChangedNotificationSchema, changed);
  // The optional GET stream failing (405, 401 …) is normal for stateless backends.
  client.onerror = (e) => log.debug({ backend: backend.slug, err: e.message }, "upstream session notice");
  return done;
}

/** The MCP handshake, within the backend's timeout. Rejects with the transport's own error. */
export function connectUpstreamSession(session: UpstreamSession): Promise<void> {
  return session.client.connect(session.transport, { timeout: session.backend.timeoutMs });
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
