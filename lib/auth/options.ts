// next-auth (v4) configuration: Keycloak sign-in, JWT sessions, the user row upserted on sign-in.
import type { AuthOptions } from "next-auth";
import KeycloakProvider from "next-auth/providers/keycloak";
import { recordAudit } from "@/lib/audit/record-audit";
import { isAdminRoles } from "@/lib/auth/claims";
import { refreshRolesIfStale, sessionFromKeycloakTokens, type SessionClaims } from "@/lib/auth/session-roles";
import { deriveSecret } from "@/lib/crypto/keyring";
import { env } from "@/lib/env";
import { safeReturnPath } from "@/lib/http/return-path";
import { singleton } from "@/lib/singleton";

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export function authOptions(): AuthOptions {
  return singleton("auth.options", build, "recreate");
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
      // After sign-in and sign-out: a same-origin path only, whatever callbackUrl was asked for.
      redirect({ url, baseUrl }) {
        const origin = new URL(baseUrl).origin;
        const path = url.startsWith(`${origin}/`) ? url.slice(origin.length) : url;
        return `${origin}${safeReturnPath(path) ?? "/"}`;
      },
      // Runs on sign-in (with `account`) and on every session read (without): roles are re-read from
      // Keycloak when they are older than SESSION_ROLES_REFRESH_SECONDS (lib/auth/session-roles.ts).
      async jwt({ token, account }) {
        if (!account?.access_token) return refreshRolesIfStale(token);
        // The access token came straight from Keycloak's token endpoint: its claims carry the roles.
        const { claims } = await sessionFromKeycloakTokens({
          access_token: account.access_token,
          refresh_token: account.refresh_token,
          id_token: account.id_token,
        });
        recordAudit({ action: "sign_in", outcome: "success", userId: claims.userId, clientId: e.KEYCLOAK_CLIENT_ID });
        // The id token (for Keycloak logout) and the refresh token stay in the encrypted session
        // cookie; neither is ever put into the session object a page or the browser sees.
        return { ...token, ...claims };
      },
      async session({ session, token }) {
        // A session Keycloak no longer vouches for is no session: getServerSession answers null.
        if ((token as SessionClaims).ended || !token.userId) return {} as typeof session;
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
