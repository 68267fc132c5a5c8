// Which requests server.ts hands to the authorization server instead of Next: the endpoints under
// /oauth/ (except the sign-in and consent pages, which are Next's) and the discovery documents.
const DISCOVERY = new Set(["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]);

export function isOAuthPath(url: string): boolean {
  const path = url.split("?", 1)[0]!;
  if (DISCOVERY.has(path)) return true;
  return path.startsWith("/oauth/") && !path.startsWith("/oauth/interaction/");
}
