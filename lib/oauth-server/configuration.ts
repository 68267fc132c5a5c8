// oidc-provider configured as the authorization server of Gatehouse's MCP endpoints: authorization
// code + PKCE (S256 only) with a required resource indicator naming a Gatehouse MCP URL, JWT access
// tokens whose `aud` is exactly that URL, rotating refresh tokens (a rotated one presented again
// revokes the grant: oidc-provider does this), RFC 9207 `iss` in responses, RFC 7009 revocation and
// open dynamic registration (RFC 7591). Users sign in and consent on Gatehouse's own pages (Keycloak
// through the portal's session): see interaction.ts.
import { errors, type Adapter, type Configuration } from "oidc-provider";
import { deriveSecret } from "@/lib/crypto/keyring";
import { env } from "@/lib/env";
import { loadConsentGrant } from "@/lib/oauth-server/consent/load-consent-grant";
import { renderErrorPage } from "@/lib/oauth-server/error-page";
import { redirectUriProblem } from "@/lib/oauth-server/redirect-uris";
import { checkResource, MCP_SCOPE } from "@/lib/oauth-server/resources";
import { SIGNING_ALG, type SigningKey } from "@/lib/oauth-server/signing-key";

export const OAUTH_ROUTES = {
  authorization: "/oauth/authorize",
  token: "/oauth/token",
  revocation: "/oauth/revoke",
  jwks: "/oauth/jwks",
  registration: "/oauth/reg",
  end_session: "/oauth/session/end",
  userinfo: "/oauth/userinfo",
};

/** Where oidc-provider sends the browser to sign in and consent (a Next page; see interaction.ts). */
export const interactionPath = (uid: string) => `/oauth/interaction/${uid}`;

export function buildConfiguration(opts: { adapter: (kind: string) => Adapter; signingKey: SigningKey }): Configuration {
  const e = env();
  return {
    adapter: opts.adapter,
    clients: [],
    jwks: { keys: [opts.signingKey.privateJwk] },
    cookies: { keys: [deriveSecret("oauth-server cookies")] },
    scopes: [MCP_SCOPE],
    responseTypes: ["code"],
    routes: OAUTH_ROUTES,
    pkce: { required: () => true },
    clientAuthMethods: ["none", "client_secret_basic", "client_secret_post"],
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      id_token_signed_response_alg: SIGNING_ALG,
    },
    // The account is the Gatehouse user id; the gateway loads roles and groups by it.
    async findAccount(_ctx, sub) {
      return { accountId: sub, claims: () => ({ sub }) };
    },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    // Remembered consent: the user's grant for this client, extended when they approve something new.
    loadExistingGrant: loadConsentGrant,
    extraClientMetadata: {
      // Not a metadata field clients send: the hook that checks redirect URIs of every client,
      // registered or described by a metadata document.
      properties: ["gatehouse_checked"],
      validator(_ctx, key, _value, metadata) {
        if (key !== "gatehouse_checked") return;
        for (const uri of (metadata.redirect_uris as string[] | undefined) ?? []) {
          const problem = redirectUriProblem(uri);
          // A description starting "redirect_uris" makes oidc-provider answer invalid_redirect_uri (RFC 7591).
          if (problem) throw new errors.InvalidClientMetadata(`redirect_uris: ${problem}`);
        }
      },
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      // A client revokes only its own tokens; revoking a refresh token revokes the grant.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      registration: { enabled: true, initialAccessToken: false },
      resourceIndicators: {
        enabled: true,
        // RFC 8707 is required here: without a resource there is no audience to bind the token to.
        defaultResource: () => {
          throw new errors.InvalidTarget(`resource is required: ${e.APP_URL}/api/mcp or ${e.APP_URL}/api/mcp/<backend>`);
        },
        useGrantedResource: () => true,
        async getResourceServerInfo(ctx, resource) {
          if (Array.isArray(ctx.oidc.params?.resource) && ctx.oidc.params.resource.length > 1) {
            throw new errors.InvalidTarget("request one resource per authorization");
          }
          const checked = await checkResource(resource);
          if (!checked.ok) throw new errors.InvalidTarget(checked.reason);
          return {
            scope: MCP_SCOPE,
            audience: resource,
            accessTokenFormat: "jwt",
            accessTokenTTL: e.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: SIGNING_ALG, kid: opts.signingKey.kid } },
          };
        },
      },
    },
    // The grant id lets every replica's gateway refuse the token once the grant is revoked.
    extraTokenClaims: (_ctx, token) => ("grantId" in token && token.grantId ? { gid: token.grantId } : undefined),
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: e.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      RefreshToken: e.OAUTH_REFRESH_TOKEN_TTL_SECONDS,
      Grant: e.OAUTH_REFRESH_TOKEN_TTL_SECONDS,
      Interaction: 600,
      Session: 3600,
    },
    clientBasedCORS: () => true,
    // Client ID Metadata Documents (client-metadata-document.ts), the MCP clients' main way in.
    discovery: { client_id_metadata_document_supported: true },
    async renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = renderErrorPage(out.error, out.error_description);
    },
  };
}
