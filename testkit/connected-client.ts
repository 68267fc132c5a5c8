// An MCP client connected as a user through Gatehouse's authorization server (register, authorize
// with consent approved, code for tokens), for tests of connected clients and their revocation.
import {
  authorizationUrl,
  authorizeInBrowser,
  pkcePair,
  registerClient,
  tokenRequest,
  type RegisteredClient,
} from "@/testkit/oauth-client";

export interface ConnectedTestClient {
  client: RegisteredClient;
  accessToken: string;
  refreshToken: string;
  /** A refresh at the token endpoint: its status and body. */
  refresh(): ReturnType<typeof tokenRequest>;
}

export async function connectTestClient(opts: {
  asUrl: string;
  resource: string;
  userId: string;
  name?: string;
}): Promise<ConnectedTestClient> {
  const client = await registerClient(opts.asUrl, opts.name ? { client_name: opts.name } : {});
  const { verifier, challenge } = pkcePair();
  const url = authorizationUrl(opts.asUrl, client, { resource: opts.resource, code_challenge: challenge, code_challenge_method: "S256" });
  const outcome = await authorizeInBrowser(url, { userId: opts.userId, approve: true });
  if (outcome.kind !== "redirect") throw new Error(`no redirect to the client: ${outcome.status} ${outcome.body.slice(0, 200)}`);
  const code = outcome.url.searchParams.get("code");
  if (!code) throw new Error(`authorization refused: ${outcome.url.searchParams.get("error")}`);
  const tokens = await tokenRequest(opts.asUrl, client, {
    grant_type: "authorization_code",
    code,
    code_verifier: verifier,
    redirect_uri: client.redirect_uris[0]!,
    resource: opts.resource,
  });
  if (tokens.status !== 200) throw new Error(`token request failed: ${tokens.status}`);
  const refreshToken = tokens.body.refresh_token!;
  return {
    client,
    accessToken: tokens.body.access_token!,
    refreshToken,
    refresh: () => tokenRequest(opts.asUrl, client, { grant_type: "refresh_token", refresh_token: refreshToken }),
  };
}
