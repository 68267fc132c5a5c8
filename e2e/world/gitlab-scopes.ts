// GitLab's scope rules at /oauth/authorize, which oidc-provider does not share: it silently drops
// unknown scopes, where GitLab refuses them, and it refuses an empty scope, where GitLab uses the
// application's scopes.
import type { IncomingMessage, ServerResponse } from "node:http";
import { KNOWN_SCOPES, SUPPORTED_SCOPES } from "./gitlab-provider.js";
import type { GitLabApplication } from "./gitlab-types.js";

const known = new Set<string>(KNOWN_SCOPES);

/**
 * Screens an authorization request before oidc-provider sees it. Answers true when it responded
 * (an invalid_scope redirect); otherwise may rewrite req.url to add the default scopes.
 * Requests with an unknown client or redirect_uri are left alone: oidc-provider shows its error page.
 */
export function screenAuthorizeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  issuer: string,
  applications: GitLabApplication[],
): boolean {
  const params = url.searchParams;
  const app = applications.find((a) => a.clientId === params.get("client_id"));
  const redirectUri = params.get("redirect_uri");
  if (!app || !redirectUri || !app.redirectUris.includes(redirectUri)) return false;

  const scopes = (params.get("scope") ?? "").split(" ").filter(Boolean);
  if (scopes.length === 0) {
    params.set("scope", (app.scopes ?? SUPPORTED_SCOPES).join(" "));
    req.url = url.pathname + url.search;
    return false;
  }
  if (scopes.every((s) => known.has(s))) return false;

  const location = new URL(redirectUri);
  location.searchParams.set("error", "invalid_scope");
  location.searchParams.set("error_description", "The requested scope is invalid, unknown, or malformed.");
  const state = params.get("state");
  if (state !== null) location.searchParams.set("state", state);
  location.searchParams.set("iss", issuer);
  res.writeHead(302, { location: location.href, "cache-control": "no-store" });
  res.end();
  return true;
}
