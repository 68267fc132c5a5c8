// The credentials the bench uses: Keycloak access tokens by the password grant (what an MCP client
// presents to the gateway), and for the direct calls the same credentials the gateway would inject.
import type { World } from "@/e2e/world";

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

export async function keycloakToken(world: World, username: string): Promise<string> {
  const user = world.keycloak.users.find((u) => u.username === username);
  if (!user) throw new Error(`no Keycloak user ${username}`);
  const { access_token } = await world.keycloak.passwordGrant({
    username,
    password: user.password,
    clientId: world.gatehouseClient.clientId,
  });
  return access_token;
}

/** RFC 8693 at the Keycloak stand-in, as client gatehouse, for the exchange backend's audience. */
export async function exchangedToken(world: World, subjectToken: string): Promise<string> {
  const { clientId, clientSecret } = world.gatehouseClient;
  const res = await fetch(world.keycloak.tokenEndpoint, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({
      grant_type: TOKEN_EXCHANGE,
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN,
      requested_token_type: ACCESS_TOKEN,
      audience: world.exchangeAudience,
    }),
  });
  const json = (await res.json()) as { access_token?: string; error?: string };
  if (!res.ok || !json.access_token) throw new Error(`token exchange failed: ${res.status} ${json.error ?? ""}`);
  return json.access_token;
}

/** A GitLab token for the user, as the link flow would have produced it (the direct linked-account baseline). */
export async function gitlabToken(world: World, username: string): Promise<string> {
  const tokens = await world.gitlab.issueTokens({ username, clientId: world.gitlabApp.clientId, scopes: ["mcp", "read_user"] });
  return tokens.access_token;
}
