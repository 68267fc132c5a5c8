// GitLab's token-authenticated REST surface: /oauth/token/info and /api/v4/user.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GitLabUser } from "./gitlab-types.js";
import { bearerToken, sendJson } from "./http.js";
import type Provider from "oidc-provider";

/** A live access token of this server and the GitLab user it acts for. */
export interface TokenOwner {
  token: string;
  user: GitLabUser;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
}

/** Resolves an access token to its owner; undefined when unknown, expired, rotated or revoked. */
export async function findTokenOwner(provider: Provider, users: GitLabUser[], token: string | undefined): Promise<TokenOwner | undefined> {
  if (!token) return undefined;
  const accessToken = await provider.AccessToken.find(token);
  if (!accessToken || accessToken.isExpired || !accessToken.grantId) return undefined;
  // A revoked authorization leaves no grant behind, whatever tokens might remain.
  if (!(await provider.Grant.find(accessToken.grantId))) return undefined;
  const user = users.find((u) => String(u.id) === accessToken.accountId);
  if (!user) return undefined;
  return {
    token,
    user,
    clientId: accessToken.clientId ?? "",
    scopes: (accessToken.scope ?? "").split(" ").filter(Boolean),
    issuedAt: accessToken.iat ?? 0,
    expiresAt: accessToken.exp ?? 0,
  };
}

/** The access token of a request, the way GitLab's API reads it: Bearer header or `access_token` query. */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  return bearerToken(req.headers.authorization) ?? url.searchParams.get("access_token") ?? undefined;
}

// GET /oauth/token/info — Doorkeeper's token introspection for the token's own holder.
export async function handleTokenInfo(owner: TokenOwner | undefined, res: ServerResponse): Promise<void> {
  if (!owner) {
    sendJson(res, 401, { error: "invalid_token", error_description: "The access token is invalid", state: "unauthorized" });
    return;
  }
  sendJson(res, 200, {
    resource_owner_id: owner.user.id,
    scope: owner.scopes,
    expires_in: Math.max(0, owner.expiresAt - Math.floor(Date.now() / 1000)),
    application: { uid: owner.clientId },
    created_at: owner.issuedAt,
  });
}

// GET /api/v4/user — the token's user; GitLab wants read_user or api for it.
export async function handleCurrentUser(owner: TokenOwner | undefined, baseUrl: string, res: ServerResponse): Promise<void> {
  if (!owner) {
    sendJson(res, 401, { message: "401 Unauthorized" });
    return;
  }
  if (!owner.scopes.includes("read_user") && !owner.scopes.includes("api")) {
    sendJson(res, 403, {
      error: "insufficient_scope",
      error_description: "The request requires higher privileges than provided by the access token.",
      scope: "api read_user",
    });
    return;
  }
  const { id, username, name, email } = owner.user;
  sendJson(res, 200, { id, username, name, email, state: "active", web_url: `${baseUrl}/${username}` });
}
