// Which resources (RFC 8707) Gatehouse issues tokens for: its own MCP endpoints, `${APP_URL}/api/mcp`
// and `${APP_URL}/api/mcp/<slug>` of an existing backend. A token's `aud` is exactly that URL, and the
// gateway accepts it at that endpoint only.
import { loadRuntimeBackends } from "@/lib/backends/runtime";
import { env } from "@/lib/env";

/** The MCP endpoint URL a resource indicator names, or a reason it is not one of ours. */
export async function checkResource(resource: string): Promise<{ ok: true; slug?: string } | { ok: false; reason: string }> {
  const base = `${env().APP_URL}/api/mcp`;
  if (resource === base) return { ok: true };
  if (!resource.startsWith(`${base}/`)) return { ok: false, reason: `resource must be ${base} or ${base}/<backend>` };
  const slug = resource.slice(base.length + 1);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) return { ok: false, reason: `resource ${resource} does not name a backend` };
  const exists = (await loadRuntimeBackends()).some((b) => b.slug === slug);
  return exists ? { ok: true, slug } : { ok: false, reason: `there is no backend "${slug}" at ${base}/${slug}` };
}

export const MCP_SCOPE = "mcp";
