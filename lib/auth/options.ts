// next-auth (v4) configuration: Keycloak sign-in, JWT sessions, the user row upserted on sign-in.
import type { AuthOptions } from "next-auth";
import KeycloakProvider from "next-auth/providers/keycloak";
import { decodeJwt } from "jose";
import { env } from "@/lib/env";
import { deriveSecret } from "@/lib/crypto/keyring";
import { recordAudit } from "@/lib/audit/record-audit";
import { upsertUser } from "@/lib/users/upsert-user";
import { identityFromClaims, isAdminRoles } from "@/lib/auth/claims";
import { singleton } from "@/lib/singleton";

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export function authOptions(): AuthOptions {
  return singleton("auth.options", build);
}

function build(): AuthOptions {
  const e = env();
  // next-auth reads its own origin from this variable; we set it from the validated APP_URL.
  process.env.NEXTAUTH_URL = e.APP_URL;
  return {
    secret: e.AUTH_SECRET ?? deriveSecret("next-auth session"),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    providers: [
      KeycloakProvider({
        clientId: e.KEYCLOAK_CLIENT_ID,
        clientSecret: e.KEYCLOAK_CLIENT_SECRET,
        issuer: e.KEYCLOAK_ISSUER,
        checks: ["pkce", "state"],
      }),
    ],
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      // Runs on sign-in (with `account`) and on every session read (without).
      async jwt({ token, account }) {
        if (!account?.access_token) return token;
        // The access token came straight from Keycloak's token endpoint: its claims carry the roles.
        const identity = identityFromClaims({ ...decodeJwt(account.access_token), iss: e.KEYCLOAK_ISSUER });
        const user = await upsertUser(identity);
        recordAudit({ action: "sign_in", outcome: "success", userId: user.id, clientId: e.KEYCLOAK_CLIENT_ID });
        return {
          ...token,
          userId: user.id,
          username: identity.username,
          roles: identity.roles,
          groups: identity.groups,
          // Kept in the encrypted session cookie for Keycloak logout; never put into the session object.
          idToken: account.id_token,
          // Likewise kept only in the encrypted cookie: stored (encrypted) when the user approves an MCP
          // client, so token exchange works for calls made with Gatehouse-issued tokens.
          idpRefreshToken: account.refresh_token,
        };
      },
      async session({ session, token }) {
        const roles = (token.roles as string[] | undefined) ?? [];
        return {
          expires: session.expires,
          user: {
            id: token.userId as string,
            name: session.user?.name ?? (token.username as string | undefined) ?? null,
            email: session.user?.email ?? null,
            username: (token.username as string | undefined) ?? null,
            roles,
            groups: (token.groups as string[] | undefined) ?? [],
            isAdmin: isAdminRoles(roles),
          },
        };
      },
    },
  };
}
