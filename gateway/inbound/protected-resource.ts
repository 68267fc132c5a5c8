// RFC 9728 Protected Resource Metadata for /api/mcp and /api/mcp/<slug>: which authorization server
// issues the tokens this resource accepts: Gatehouse's own (lib/oauth-server), which signs users in
// with Keycloak. Served by app/.well-known; the 401s point here.
import { env } from "@/lib/env";
import { MCP_SCOPE } from "@/lib/oauth-server/resources";

export function resourceUrl(slug?: string): string {
  return `${env().APP_URL}/api/mcp${slug ? `/${encodeURIComponent(slug)}` : ""}`;
}

export function resourceMetadataUrl(slug?: string): string {
  return `${env().APP_URL}/.well-known/oauth-protected-resource/api/mcp${slug ? `/${encodeURIComponent(slug)}` : ""}`;
}

export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  scopes_supported: string[];
  resource_name: string;
  resource_documentation: string;
}

/** `extraIssuer`: a backend's own trusted issuer, accepted at its /api/mcp/<slug> only. */
export function protectedResourceMetadata(opts: { slug?: string; extraIssuer?: string } = {}): ProtectedResourceMetadata {
  const e = env();
  return {
    resource: resourceUrl(opts.slug),
    authorization_servers: [e.APP_URL, ...(opts.extraIssuer ? [opts.extraIssuer] : [])],
    bearer_methods_supported: ["header"],
    scopes_supported: [MCP_SCOPE],
    resource_name: opts.slug ? `Gatehouse: ${opts.slug}` : "Gatehouse",
    resource_documentation: `${e.APP_URL}/`,
  };
}
