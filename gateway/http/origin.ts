// Streamable HTTP servers must check Origin (DNS rebinding): a browser request from an origin not in
// MCP_ALLOWED_ORIGINS is refused. Requests without Origin come from non-browser clients and pass.
// Allowed browser origins get CORS headers, so a browser-based client can read the session id.
import type { GatewayReply } from "@/gateway/types";
import { env } from "@/lib/env";

export function originAllowed(origin: string): boolean {
  return env().MCP_ALLOWED_ORIGINS.includes(origin);
}

export function corsHeaders(origin: string): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": "mcp-session-id, www-authenticate",
    vary: "Origin",
  };
}

export function preflight(): GatewayReply {
  return {
    status: 204,
    headers: {
      "access-control-allow-methods": "POST, GET, DELETE, OPTIONS",
      "access-control-allow-headers": "authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id",
      "access-control-max-age": "600",
    },
  };
}
