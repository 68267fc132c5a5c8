// The test world: every outside server Gatehouse talks to, as real HTTP servers on this machine.
// Used by the integration tests, the Playwright suite and `npm run demo`.
import { randomBytes } from "node:crypto";
import { startExchangeBackend, startOpenBackend, startStaticKeyBackend, type TestBackend } from "@/e2e/world/backends";
import { startGitLab, type GitLabServer } from "@/e2e/world/gitlab";
import { defaultKeycloakUsers, startKeycloak, type KeycloakServer } from "@/e2e/world/keycloak";

export interface WorldPorts {
  keycloak?: number;
  gitlab?: number;
  exchange?: number;
  static?: number;
  open?: number;
}

export interface WorldOptions {
  /** Where the app will listen: redirect URIs are registered for it exactly. */
  appUrl: string;
  ports?: WorldPorts;
  gitlabAccessTokenTtlSeconds?: number;
  /** GitLab's MCP endpoint and the exchange backend serve 2026-07-28 beside the handshake era (the demo's pairings). */
  modernEras?: boolean;
}

export interface World {
  keycloak: KeycloakServer;
  gitlab: GitLabServer;
  backends: { exchange: TestBackend; static: TestBackend; open: TestBackend };
  /** The Keycloak client Gatehouse signs in with (also the demo's password-grant client). */
  gatehouseClient: { clientId: string; clientSecret: string };
  /** A different Keycloak client, for "token for another client" tests. */
  otherClient: { clientId: string; clientSecret: string };
  gitlabApp: { clientId: string; clientSecret: string; redirectUri: string };
  staticKey: { headerName: string; apiKey: string };
  exchangeAudience: string;
  close(): Promise<void>;
}

export async function startWorld(opts: WorldOptions): Promise<World> {
  const appUrl = opts.appUrl.replace(/\/$/, "");
  const gatehouseClient = { clientId: "gatehouse", clientSecret: "gatehouse-demo-secret" };
  const otherClient = { clientId: "other-app", clientSecret: "other-app-secret" };
  const exchangeAudience = "exchange-backend";
  const gitlabApp = {
    clientId: "gatehouse-gitlab-app",
    clientSecret: "gitlab-app-demo-secret",
    redirectUri: `${appUrl}/api/links/gitlab/callback`,
  };
  const staticKey = { headerName: "X-Api-Key", apiKey: `sk-${randomBytes(12).toString("hex")}` };

  const keycloak = await startKeycloak({
    port: opts.ports?.keycloak ?? 0,
    users: defaultKeycloakUsers,
    clients: [
      {
        ...gatehouseClient,
        redirectUris: [`${appUrl}/api/auth/callback/keycloak`],
        postLogoutRedirectUris: [`${appUrl}/`],
        exchangeAudiences: [exchangeAudience],
      },
      { ...otherClient, redirectUris: [`${appUrl}/never`] },
      // The exchange backend is a client of the realm too: Keycloak only exchanges for audiences
      // that name a client.
      { clientId: exchangeAudience, clientSecret: "exchange-backend-secret", redirectUris: [] },
    ],
  });
  const gitlab = await startGitLab({
    port: opts.ports?.gitlab ?? 0,
    accessTokenTtlSeconds: opts.gitlabAccessTokenTtlSeconds,
    mcpEras: opts.modernEras ? "both" : "handshake",
    applications: [{ clientId: gitlabApp.clientId, clientSecret: gitlabApp.clientSecret, redirectUris: [gitlabApp.redirectUri] }],
  });
  const [exchange, staticBackend, open] = await Promise.all([
    startExchangeBackend({
      issuer: keycloak.issuer,
      jwksUri: keycloak.jwksUri,
      audience: exchangeAudience,
      port: opts.ports?.exchange ?? 0,
      eras: opts.modernEras ? "both" : "handshake",
    }),
    startStaticKeyBackend({ ...staticKey, port: opts.ports?.static ?? 0 }),
    startOpenBackend({ port: opts.ports?.open ?? 0 }),
  ]);

  return {
    keycloak,
    gitlab,
    backends: { exchange, static: staticBackend, open },
    gatehouseClient,
    otherClient,
    gitlabApp,
    staticKey,
    exchangeAudience,
    async close() {
      await Promise.allSettled([keycloak.close(), gitlab.close(), exchange.close(), staticBackend.close(), open.close()]);
    },
  };
}
