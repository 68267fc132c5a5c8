// The HTTP headers of a request to a backend on the per-call path: the handshake era's session and
// negotiated version, or the 2026-07-28 version alone; and the cancellation a client's
// notifications/cancelled (or its going away) sends upstream.
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { UpstreamSession } from "@/gateway/upstream/session-pool";
import { MODERN_VERSION } from "@/gateway/upstream/upstream-client";
import { postUpstream } from "@/gateway/upstream/upstream-http";

export function sessionIdOf(session: UpstreamSession): string | undefined {
  if (session.era === MODERN_VERSION) return undefined;
  return session.transport instanceof StreamableHTTPClientTransport ? session.transport.sessionId : undefined;
}

export function upstreamHeaders(session: UpstreamSession): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    "mcp-protocol-version": session.protocolVersion,
  };
  const id = sessionIdOf(session);
  if (id) headers["mcp-session-id"] = id;
  return Object.assign(headers, session.headers);
}

/** Tells the backend the client cancelled `requestId` (the id the call has at that backend). */
export function sendCancellation(session: UpstreamSession, requestId: string | number): void {
  const note = JSON.stringify({
    jsonrpc: "2.0",
    method: "notifications/cancelled",
    params: { requestId, reason: "cancelled by the client" },
  });
  const req = postUpstream(
    session.backend.url,
    upstreamHeaders(session),
    note,
    (res) => res.resume(),
    () => undefined,
  );
  req.setTimeout(5_000, () => req.destroy());
}
