// Shared by the realm's tests: the clients they register, and a form POST that returns the JSON.
import { defaultKeycloakUsers, type KeycloakClient } from "@/e2e/world/keycloak";

export const APP = "http://127.0.0.1:5999";
export const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
export const alice = defaultKeycloakUsers.find((u) => u.username === "alice")!;

export const testClients: KeycloakClient[] = [
  {
    clientId: "gatehouse",
    clientSecret: "gatehouse-secret",
    redirectUris: [`${APP}/callback`],
    postLogoutRedirectUris: [`${APP}/bye`],
    exchangeAudiences: ["exchange-backend", "reports"],
  },
  { clientId: "other-app", clientSecret: "other-secret", redirectUris: [], exchangeAudiences: ["exchange-backend"] },
  { clientId: "exchange-backend", clientSecret: "backend-secret", redirectUris: [] },
  { clientId: "reports", clientSecret: "reports-secret", redirectUris: [] },
  { clientId: "cli", public: true, redirectUris: [`${APP}/cli`], exchangeAudiences: ["exchange-backend"] },
];

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
}

export async function postForm(url: string, form: Record<string, string | string[]>, authorization?: string | null) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const v of [value].flat()) body.append(name, v);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (authorization) headers.authorization = authorization;
  const res = await fetch(url, { method: "POST", headers, body });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}
