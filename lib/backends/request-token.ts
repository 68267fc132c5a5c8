// A token endpoint request for Test connection: client_credentials, or an RFC 8693 exchange of the
// admin's own token. The client authenticates with HTTP Basic (RFC 6749 §2.3.1, which every
// server must support, Keycloak included).
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

export interface TokenRequest {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  audience?: string;
  /** Present: an RFC 8693 exchange of this token; absent: client_credentials. */
  subjectToken?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** The access token, or an Error whose message is the endpoint's own error and description. */
export async function requestToken(r: TokenRequest): Promise<string> {
  const body = new URLSearchParams(
    r.subjectToken
      ? { grant_type: TOKEN_EXCHANGE, subject_token: r.subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, requested_token_type: ACCESS_TOKEN_TYPE }
      : { grant_type: "client_credentials" },
  );
  if (r.scope) body.set("scope", r.scope);
  if (r.audience) body.set("audience", r.audience);
  const basic = Buffer.from(`${encodeURIComponent(r.clientId)}:${encodeURIComponent(r.clientSecret)}`).toString("base64");
  const res = await (r.fetch ?? fetch)(r.tokenEndpoint, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body,
    signal: AbortSignal.timeout(r.timeoutMs),
  });
  const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown; error_description?: unknown };
  if (!res.ok || typeof json.access_token !== "string") {
    const why = [json.error, json.error_description].filter((s) => typeof s === "string" && s).join(": ");
    throw new Error(`the token endpoint ${r.tokenEndpoint} answered HTTP ${res.status}${why ? ` (${why})` : ""}`);
  }
  return json.access_token;
}
