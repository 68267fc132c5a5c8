// GET /.well-known/oauth-protected-resource/api/mcp — RFC 9728 metadata for /api/mcp (the 401s point here).
import { protectedResourceMetadata } from "@/gateway/inbound/protected-resource";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(protectedResourceMetadata(), {
    headers: { "access-control-allow-origin": "*", "cache-control": "public, max-age=300" },
  });
}
