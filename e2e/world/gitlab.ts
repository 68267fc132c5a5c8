// A GitLab-shaped OAuth server with a GitLab-like MCP server, for tests and the demo.
// Built on oidc-provider and the MCP SDK; URLs and JSON shapes follow GitLab's:
//   /oauth/authorize, /oauth/token, /oauth/revoke, /oauth/token/info, /api/v4/user, /api/v4/mcp.
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { findTokenOwner, handleCurrentUser, handleTokenInfo, requestToken } from "./gitlab-api.js";
import { driveAuthorization } from "./gitlab-authorize.js";
import { handleInteraction } from "./gitlab-login.js";
import { createGitLabMcp, MCP_PATH } from "./gitlab-mcp.js";
import { createGitLabProvider, KNOWN_SCOPES } from "./gitlab-provider.js";
import { screenAuthorizeRequest } from "./gitlab-scopes.js";
import type { GitLabCounters, GitLabOptions, GitLabServer, GitLabUser, IssuedTokens } from "./gitlab-types.js";
import { closeServer, listen, sendJson } from "./http.js";
import type Provider from "oidc-provider";

export type { GitLabApplication, GitLabCounters, GitLabOptions, GitLabServer, GitLabUser, IssuedTokens } from "./gitlab-types.js";

export const defaultGitLabUsers: GitLabUser[] = [
  { id: 101, username: "alice", name: "Alice Anderson", email: "alice@example.test", password: "alice-gitlab" },
  { id: 102, username: "bob", name: "Bob Brown", email: "bob@example.test", password: "bob-gitlab" },
  { id: 103, username: "admin", name: "Ada Admin", email: "admin@example.test", password: "admin-gitlab" },
];

const DEFAULT_ACCESS_TOKEN_TTL = 7200;

export async function startGitLab(opts: GitLabOptions = {}): Promise<GitLabServer> {
  const host = opts.host ?? "127.0.0.1";
  const users = opts.users ?? defaultGitLabUsers.map((u) => ({ ...u }));
  const applications = opts.applications ?? [];
  const counters: GitLabCounters = { tokensIssued: 0, refreshes: 0, refreshFailures: 0, revocations: 0, mcpCalls: 0 };
  let accessTokenTtl = opts.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL;

  // The issuer must name the bound port, so listen first and install the real handler after.
  let handler: RequestListener = (_req, res) => sendJson(res, 503, { message: "starting" });
  const server = createServer((req, res) => handler(req, res));
  const port = await listen(server, opts.port ?? 0, host);
  const url = `http://${host}:${port}`;

  const { provider } = await createGitLabProvider({ issuer: url, users, applications, counters, accessTokenTtl: () => accessTokenTtl });
  const routes = createRoutes({ url, provider, users, applications, counters, mcpEras: opts.mcpEras });
  handler = (req, res) => {
    routes(req, res).catch((err: unknown) => {
      console.error("[gitlab] request failed", err);
      if (!res.headersSent) sendJson(res, 500, { message: "500 Internal Server Error" });
      else res.destroy();
    });
  };

  return {
    url,
    mcpUrl: url + MCP_PATH,
    users,
    applications,
    counters,
    setAccessTokenTtl: (seconds) => {
      accessTokenTtl = seconds;
    },
    issueTokens: async (request) => {
      const tokens = await issueTokens(provider, users, request);
      counters.tokensIssued++;
      return tokens;
    },
    authorizeAs: (authorizeUrl, username, password, options) =>
      driveAuthorization(url, authorizeUrl, { username, password }, options?.deny ? "deny" : "authorize"),
    isTokenActive: (token) => isTokenActive(provider, token),
    close: () => closeServer(server),
  };
}

interface RouteContext {
  url: string;
  provider: Provider;
  users: GitLabUser[];
  applications: GitLabServer["applications"];
  counters: GitLabCounters;
  mcpEras?: "handshake" | "both";
}

/** GitLab's own endpoints first; everything else is oidc-provider's (authorize, token, revoke, discovery). */
function createRoutes(ctx: RouteContext) {
  const providerCallback = ctx.provider.callback();
  const handleMcp = createGitLabMcp({
    baseUrl: ctx.url,
    provider: ctx.provider,
    users: ctx.users,
    counters: ctx.counters,
    eras: ctx.mcpEras,
  });
  const interactions = { provider: ctx.provider, users: ctx.users, applications: ctx.applications };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", ctx.url);
    const path = url.pathname;
    if (await handleMcp(req, res, path)) return;
    if (await handleInteraction(interactions, req, res, path)) return;
    if (req.method === "GET" && path === "/oauth/token/info") {
      return handleTokenInfo(await findTokenOwner(ctx.provider, ctx.users, requestToken(req, url)), res);
    }
    if (req.method === "GET" && path === "/api/v4/user") {
      return handleCurrentUser(await findTokenOwner(ctx.provider, ctx.users, requestToken(req, url)), ctx.url, res);
    }
    if (req.method === "GET" && path === "/oauth/authorize") {
      if (screenAuthorizeRequest(req, res, url, ctx.url, ctx.applications)) return;
    }
    // GitLab serves RFC 8414 metadata too; oidc-provider only the OpenID form, with the same content.
    if (path === "/.well-known/oauth-authorization-server") req.url = "/.well-known/openid-configuration";
    providerCallback(req, res);
  };
}

/** A grant, an access token and a refresh token, as the code exchange would have produced them. */
async function issueTokens(
  provider: Provider,
  users: GitLabUser[],
  request: { username: string; clientId: string; scopes: string[] },
): Promise<IssuedTokens> {
  const user = users.find((u) => u.username === request.username);
  if (!user) throw new Error(`no GitLab user ${request.username}`);
  const client = await provider.Client.find(request.clientId);
  if (!client) throw new Error(`no GitLab application ${request.clientId}`);
  const unknown = request.scopes.filter((s) => !KNOWN_SCOPES.includes(s));
  if (unknown.length) throw new Error(`unknown GitLab scopes: ${unknown.join(" ")}`);

  const accountId = String(user.id);
  const scope = request.scopes.join(" ");
  const grant = new provider.Grant({ accountId, clientId: client.clientId });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const accessToken = new provider.AccessToken({ accountId, client, grantId, scope, gty: "authorization_code" });
  const refreshToken = new provider.RefreshToken({ accountId, client, grantId, scope, gty: "authorization_code" });
  return {
    access_token: await accessToken.save(),
    refresh_token: await refreshToken.save(),
    expires_in: accessToken.expiration,
    scope,
  };
}

async function isTokenActive(provider: Provider, token: string): Promise<boolean> {
  const accessToken = await provider.AccessToken.find(token);
  if (accessToken) return !accessToken.isExpired && (await grantExists(provider, accessToken.grantId));
  const refreshToken = await provider.RefreshToken.find(token);
  if (refreshToken) return !refreshToken.isExpired && !refreshToken.consumed && (await grantExists(provider, refreshToken.grantId));
  return false;
}

async function grantExists(provider: Provider, grantId: string | undefined): Promise<boolean> {
  return grantId !== undefined && (await provider.Grant.find(grantId)) !== undefined;
}
