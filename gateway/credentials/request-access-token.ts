// A token from an OAuth token endpoint, with its lifetime: RFC 8693 token exchange (the caller's
// inbound token as subject, Keycloak V2 parameters: audience and scope, no `resource`) or
// client_credentials. The client authenticates with HTTP Basic (RFC 6749 §2.3.1, which every server
// must support, Keycloak included). Used by the token_exchange and client_credentials modes.
import { safeFetch } from "@/lib/net/safe-fetch";

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
const DEFAULT_LIFETIME_S = 60;

export interface TokenEndpointRequest {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  audience?: string;
  scope?: string;
  /**
   * Present: an RFC 8693 exchange of this token. Absent: client_credentials. A function when the
   * subject must itself be fetched (a Gatehouse-token caller's Keycloak token): only on a cache miss.
   */
  subjectToken?: string | (() => Promise<string>);
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface IssuedToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export async function requestAccessToken(r: TokenEndpointRequest): Promise<IssuedToken> {
  const subjectToken = typeof r.subjectToken === "function" ? await r.subjectToken() : r.subjectToken;
  const body = new URLSearchParams(
    subjectToken
      ? {
          grant_type: TOKEN_EXCHANGE,
          subject_token: subjectToken,
          subject_token_type: ACCESS_TOKEN_TYPE,
          requested_token_type: ACCESS_TOKEN_TYPE,
        }
      : { grant_type: "client_credentials" },
  );
  if (r.audience) body.set("audience", r.audience);
  if (r.scope) body.set("scope", r.scope);
  const basic = Buffer.from(`${encodeURIComponent(r.clientId)}:${encodeURIComponent(r.clientSecret)}`).toString("base64");
  const res = await (r.fetch ?? safeFetch)(r.tokenEndpoint, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body,
    signal: AbortSignal.timeout(r.timeoutMs),
  });
  const json = (await res.json().catch(() => ({}))) as {
    access_token?: unknown;
    expires_in?: unknown;
    error?: unknown;
    error_description?: unknown;
  };
  if (!res.ok || typeof json.access_token !== "string") {
    // The endpoint's own error code and description: they name the problem and carry no secret.
    const why = [json.error, json.error_description].filter((s) => typeof s === "string" && s).join(": ");
    throw new Error(`the token endpoint ${r.tokenEndpoint} answered HTTP ${res.status}${why ? ` (${why})` : ""}`);
  }
  const lifetime = typeof json.expires_in === "number" && json.expires_in > 0 ? json.expires_in : DEFAULT_LIFETIME_S;
  return { accessToken: json.access_token, expiresAt: Date.now() + lifetime * 1000 };
}
