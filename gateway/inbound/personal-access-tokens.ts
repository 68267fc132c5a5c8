// Personal access tokens at /api/mcp and /api/mcp/<slug>: recognised by their prefix, checked by
// lib/personal-access-tokens (switch, revocation, expiry, the one endpoint they are for) and turned
// into the caller they stand for: their user, with the token's name as the client. Like Gatehouse's
// own tokens they are not Keycloak tokens, so token exchange uses the user's kept Keycloak sign-in.
import type { McpCaller } from "@/gateway/types";
import { isAdminRoles } from "@/lib/auth/claims";
import type { AcceptedToken } from "@/lib/personal-access-tokens/accepted-tokens";
import { isPersonalAccessToken } from "@/lib/personal-access-tokens/token-format";
import { verifyPersonalAccessToken } from "@/lib/personal-access-tokens/verify-personal-access-token";

export { isPersonalAccessToken };

/** Synchronous when the token was verified before on this replica; throws AppError("unauthorized") when refused. */
export function personalAccessTokenCaller(token: string, slug: string | undefined): McpCaller | Promise<McpCaller> {
  const accepted = verifyPersonalAccessToken(token, slug ? `/api/mcp/${slug}` : "/api/mcp");
  return accepted instanceof Promise ? accepted.then((a) => callerOf(a, token)) : callerOf(accepted, token);
}

// One caller object per accepted entry: the hit path allocates nothing.
const callers = new WeakMap<AcceptedToken, McpCaller>();

function callerOf(accepted: AcceptedToken, token: string): McpCaller {
  let caller = callers.get(accepted);
  if (!caller) {
    const { issuer, sub, username, roles, groups } = accepted.identity;
    caller = {
      userId: accepted.userId,
      issuer,
      sub,
      username: username ?? null,
      clientId: `pat:${accepted.id}`,
      clientName: accepted.name,
      roles,
      groups,
      isAdmin: isAdminRoles(roles),
      token,
      tokenKind: "gatehouse",
    };
    callers.set(accepted, caller);
  }
  return caller;
}
