// Gatehouse's own Keycloak client in oauth4webapi's terms, for the refresh_token grant of a kept
// sign-in and for a portal session re-reading its roles: the same request (with its retries) as a
// linked account's refresh, through safeFetch.
import * as oauth from "oauth4webapi";
import { env } from "@/lib/env";
import type { RefreshClient } from "@/lib/links/request-refresh";
import { safeFetch } from "@/lib/net/safe-fetch";

const TIMEOUT_MS = 10_000;

export function keycloakRefreshClient(): RefreshClient {
  const e = env();
  const issuer = e.KEYCLOAK_ISSUER;
  return {
    as: { issuer, token_endpoint: `${issuer}/protocol/openid-connect/token` },
    client: { client_id: e.KEYCLOAK_CLIENT_ID },
    clientAuth: oauth.ClientSecretBasic(e.KEYCLOAK_CLIENT_SECRET),
    // Plain http only when the configured issuer is (development, tests); the outbound policy allows the issuer's host.
    http: () => ({
      signal: AbortSignal.timeout(TIMEOUT_MS),
      [oauth.allowInsecureRequests]: issuer.startsWith("http:"),
      [oauth.customFetch]: safeFetch,
    }),
  };
}
