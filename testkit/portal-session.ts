// A portal session cookie for route-handler tests: the user signs in at the test world's Keycloak
// (password grant, so with a refresh token like a browser sign-in), next-auth's own jwt callback
// turns the tokens into the session, and next-auth's encoder seals it exactly as the sign-in
// callback would. Tests then send `Cookie: <cookie>` to real route handlers.
import type { Account } from "next-auth";
import { encode } from "next-auth/jwt";
import type { World } from "@/e2e/world";
import { authOptions } from "@/lib/auth/options";
import { env } from "@/lib/env";

export async function portalSessionCookie(world: World, username: string): Promise<string> {
  const user = world.keycloak.users.find((u) => u.username === username);
  if (!user) throw new Error(`no test user ${username}`);
  const tokens = await world.keycloak.passwordGrant({
    username,
    password: user.password,
    clientId: world.gatehouseClient.clientId,
    scope: "openid",
  });
  const options = authOptions();
  const account = {
    provider: "keycloak",
    type: "oauth",
    providerAccountId: user.sub,
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    id_token: tokens.id_token,
  } as Account;
  const token = await options.callbacks!.jwt!({
    token: { sub: user.sub, name: user.name, email: user.email },
    account,
    user: { id: user.sub },
    trigger: "signIn",
  });
  const sealed = await encode({ token, secret: options.secret!, maxAge: options.session!.maxAge });
  // next-auth's cookie name: the __Secure- prefix exactly when the app is served over https.
  const name = env().APP_URL.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
  return `${name}=${sealed}`;
}
