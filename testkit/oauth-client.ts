// For the authorization server's tests (not shipped code): an MCP SDK OAuthClientProvider kept in
// memory, as a real MCP client keeps its registration and tokens, and the browser step of the
// authorization (sign-in and consent) driven over HTTP with a cookie jar.
import { createHash, randomBytes } from "node:crypto";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { decideAuthorization, INTERACTION_COOKIE } from "@/lib/oauth-server/interaction";

export class TestOAuthClient implements OAuthClientProvider {
  /** Loopback, never listened on: the test reads the code from the redirect itself. */
  readonly redirectUrl = "http://127.0.0.1:9/callback";
  information?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier?: string;
  authorizationUrl?: URL;

  constructor(private readonly extra: Partial<OAuthClientMetadata> & { clientMetadataUrl?: string } = {}) {}

  get clientMetadataUrl() {
    return this.extra.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const { clientMetadataUrl: _url, ...extra } = this.extra;
    return {
      client_name: "Test MCP client",
      redirect_uris: [this.redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      ...extra,
    };
  }
  clientInformation = () => this.information;
  saveClientInformation = (info: OAuthClientInformationMixed) => void (this.information = info);
  tokens = () => this.saved;
  saveTokens = (tokens: OAuthTokens) => void (this.saved = tokens);
  redirectToAuthorization = (url: URL) => void (this.authorizationUrl = url);
  saveCodeVerifier = (verifier: string) => void (this.verifier = verifier);
  codeVerifier = () => this.verifier!;
}

/** A tiny cookie jar: name → value, for one origin. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";", 1);
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (value && !/expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async get(url: string | URL): Promise<Response> {
    const res = await fetch(url, { redirect: "manual", headers: { cookie: this.header() } });
    this.take(res);
    return res;
  }
}

export type BrowserOutcome = { kind: "redirect"; url: URL } | { kind: "page"; status: number; body: string };

/**
 * The person's part: open the authorization URL, arrive at Gatehouse's consent page (the Next page's
 * logic, lib/oauth-server/interaction.ts, signed in as `userId`), approve or deny, follow the
 * redirects back towards the client. Returns the redirect to the client, or the page shown instead.
 */
export async function authorizeInBrowser(
  authorizationUrl: URL | string,
  opts: { userId: string; approve?: boolean; jar?: CookieJar },
): Promise<BrowserOutcome> {
  const jar = opts.jar ?? new CookieJar();
  let res = await jar.get(authorizationUrl);
  const origin = new URL(authorizationUrl).origin;
  for (let hops = 0; hops < 5; hops++) {
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return { kind: "page", status: res.status, body: await res.text() };
    const url = new URL(location, origin);
    if (url.origin !== origin) return { kind: "redirect", url };
    const interaction = /^\/oauth\/interaction\/([^/]+)$/.exec(url.pathname);
    if (interaction) {
      const uid = decodeURIComponent(interaction[1]!);
      const returnTo = await decideAuthorization({
        uid,
        interactionCookie: jar.cookies.get(INTERACTION_COOKIE),
        userId: opts.userId,
        approve: opts.approve ?? true,
      });
      res = await jar.get(returnTo);
      continue;
    }
    res = await jar.get(url);
  }
  throw new Error("too many redirects at the authorization server");
}

/** A PKCE S256 pair. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
}

/** Dynamic registration (RFC 7591) of a public client with a loopback redirect URI. */
export async function registerClient(asUrl: string, metadata: Record<string, unknown> = {}): Promise<RegisteredClient> {
  const res = await fetch(`${asUrl}/oauth/reg`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "Negative test client",
      redirect_uris: ["http://127.0.0.1:9/callback"],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      ...metadata,
    }),
  });
  const body = (await res.json()) as RegisteredClient & { error?: string; error_description?: string };
  if (res.status !== 201) throw new Error(`registration failed (${res.status}): ${body.error}: ${body.error_description}`);
  return body;
}

/** The authorization URL, with overrides (undefined removes a parameter). */
export function authorizationUrl(asUrl: string, client: RegisteredClient, params: Record<string, string | undefined>): URL {
  const url = new URL(`${asUrl}/oauth/authorize`);
  const all: Record<string, string | undefined> = {
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: client.redirect_uris[0],
    scope: "mcp",
    state: "s1",
    ...params,
  };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

/** POST to the token endpoint as a public client. */
export interface TokenResponseBody {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

export async function tokenRequest(
  asUrl: string,
  client: RegisteredClient,
  params: Record<string, string>,
): Promise<{ status: number; body: TokenResponseBody }> {
  const res = await fetch(`${asUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: client.client_id, ...params }),
  });
  return { status: res.status, body: (await res.json()) as TokenResponseBody };
}
