// GET /.well-known/oauth-protected-resource/api/mcp/<slug> — RFC 9728 metadata for one backend's endpoint,
// naming its extra trusted issuer too when it has one.
import { protectedResourceMetadata } from "@/gateway/inbound/protected-resource";
import { loadRuntimeBackends } from "@/lib/backends/runtime";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const backend = (await loadRuntimeBackends()).find((b) => b.slug === slug);
  if (!backend) return Response.json({ error: "not_found", error_description: `No enabled MCP backend "${slug}".` }, { status: 404 });
  const metadata = protectedResourceMetadata({ slug, extraIssuer: backend.inbound?.issuer });
  return Response.json(metadata, { headers: { "access-control-allow-origin": "*", "cache-control": "public, max-age=300" } });
}
