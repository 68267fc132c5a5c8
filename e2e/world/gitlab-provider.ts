// oidc-provider configured to behave like GitLab's Doorkeeper-based OAuth server.
import { randomBytes } from "node:crypto";
import { GitLabStore } from "./gitlab-store.js";
import type { GitLabApplication, GitLabCounters, GitLabUser } from "./gitlab-types.js";
import { escapeHtml } from "./http.js";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type ClientMetadata, type Configuration, type KoaContextWithOIDC } from "oidc-provider";

/** The scopes this GitLab grants (oidc-provider adds `openid`); anything else is `invalid_scope`. */
export const SUPPORTED_SCOPES = ["api", "read_user", "mcp"] as const;
export const KNOWN_SCOPES: readonly string[] = [...SUPPORTED_SCOPES, "openid"];

const DAY = 24 * 3600;

export interface GitLabProviderOptions {
  issuer: string;
  users: GitLabUser[];
  applications: GitLabApplication[];
  counters: GitLabCounters;
  accessTokenTtl: () => number;
}

export async function createGitLabProvider(opts: GitLabProviderOptions): Promise<{ provider: Provider; store: GitLabStore }> {
  const store = new GitLabStore((clientId) => clientMetadata(opts.applications, clientId));
  const provider = new Provider(opts.issuer, await configuration(opts, store));
  provider.use(gitLabTokenSemantics(store, opts.counters));
  return { provider, store };
}

function clientMetadata(applications: GitLabApplication[], clientId: string): ClientMetadata | undefined {
  const app = applications.find((a) => a.clientId === clientId);
  if (!app) return undefined;
  return {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    client_name: app.name ?? app.clientId,
    redirect_uris: app.redirectUris,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic", // client_secret_post is accepted as well
    ...(app.scopes ? { scope: app.scopes.join(" ") } : {}),
  };
}

async function configuration(opts: GitLabProviderOptions, store: GitLabStore): Promise<Configuration> {
  // Tokens are opaque; the key exists only because oidc-provider insists on a signing key.
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "gitlab-test", alg: "RS256", use: "sig" };
  return {
    adapter: store.adapterFactory,
    findAccount: (_ctx, id) => {
      const user = opts.users.find((u) => String(u.id) === id);
      if (!user) return undefined;
      return { accountId: id, claims: () => ({ sub: id, name: user.name, nickname: user.username, email: user.email }) };
    },
    jwks: { keys: [signingKey as never] },
    // Browsers share cookies across ports of one host: the Keycloak stand-in on the same host uses
    // oidc-provider's default names, so these must differ or each server would evict the other's session.
    cookies: {
      keys: [randomBytes(32).toString("hex")],
      names: { session: "_gitlab_session", interaction: "_gitlab_interaction", resume: "_gitlab_interaction_resume" },
    },
    scopes: [...SUPPORTED_SCOPES],
    responseTypes: ["code"],
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    features: {
      devInteractions: { enabled: false },
      // An application may revoke only its own tokens (RFC 7009 still answers 200 for others).
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      pushedAuthorizationRequests: { enabled: false },
    },
    routes: {
      authorization: "/oauth/authorize",
      token: "/oauth/token",
      revocation: "/oauth/revoke",
      userinfo: "/oauth/userinfo",
      jwks: "/oauth/discovery/keys",
      end_session: "/oauth/logout",
    },
    interactions: { url: (_ctx, interaction) => `/oauth/interaction/${interaction.uid}` },
    // GitLab demands PKCE only from public applications.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === "none" },
    rotateRefreshToken: true,
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    // GitLab tokens outlive the browser session that created them.
    expiresWithSession: () => false,
    // Every authorization is its own grant (GitLab: one token row per authorization), so a refresh
    // or revocation in one linked session never touches another session's tokens.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    // Revoking either token of a pair revokes the whole authorization, as in GitLab.
    revokeGrantPolicy: () => true,
    ttl: {
      AccessToken: () => opts.accessTokenTtl(),
      AuthorizationCode: 600,
      RefreshToken: 365 * DAY,
      Grant: 365 * DAY,
      Session: 14 * DAY,
      Interaction: 3600,
      IdToken: 3600,
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      const description = escapeHtml(String(out.error_description ?? ""));
      ctx.body = `<!doctype html><title>Error · GitLab</title><h1>${escapeHtml(String(out.error))}</h1><p>${description}</p>`;
    },
  };
}

/**
 * Wraps every provider route to add what oidc-provider does not do by itself: exact counters, the
 * death of the previous access token when its refresh token rotates, and GitLab's `created_at`.
 */
function gitLabTokenSemantics(store: GitLabStore, counters: GitLabCounters) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    if (!("oidc" in ctx)) return; // not a provider route (404)
    if (ctx.oidc.route === "revocation" && ctx.status === 200) counters.revocations++;
    if (ctx.oidc.route === "token") afterTokenRequest(ctx, store, counters);
  };
}

function afterTokenRequest(ctx: KoaContextWithOIDC, store: GitLabStore, counters: GitLabCounters): void {
  const grantType = ctx.oidc.params?.grant_type;
  const ok = ctx.status === 200;
  if (grantType === "refresh_token") {
    if (ok) counters.refreshes++;
    else counters.refreshFailures++;
  }
  if (!ok) return;
  counters.tokensIssued++;
  const accessToken = ctx.oidc.entities.AccessToken;
  if (grantType === "refresh_token" && accessToken?.grantId) {
    for (const id of store.accessTokenIdsOfGrant(accessToken.grantId)) {
      if (id !== accessToken.jti) store.delete(`AccessToken:${id}`);
    }
  }
  if (ctx.body && typeof ctx.body === "object") {
    (ctx.body as Record<string, unknown>).created_at = Math.floor(Date.now() / 1000);
  }
}
