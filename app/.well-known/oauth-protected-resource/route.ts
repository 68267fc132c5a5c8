// GET /.well-known/oauth-protected-resource — RFC 9728 metadata (root form) for the MCP endpoint /api/mcp.
import { protectedResourceMetadata } from "@/gateway/inbound/protected-resource";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(protectedResourceMetadata(), {
    headers: { "access-control-allow-origin": "*", "cache-control": "public, max-age=300" },
  });
}
