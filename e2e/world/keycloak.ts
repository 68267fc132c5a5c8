// The Keycloak-shaped identity provider of the test world: a real OIDC server (oidc-provider) with
// Keycloak 26's URLs, token claims, password grant and standard token exchange (V2).
import { KeyObject, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWK } from "jose";
import Provider from "oidc-provider";
import { authorizeAs } from "@/e2e/world/keycloak-browser";
import { buildConfiguration, KEYCLOAK_ROUTES } from "@/e2e/world/keycloak-config";
import { registerPasswordGrant, registerTokenExchange } from "@/e2e/world/keycloak-grants";
import { defaultKeycloakUsers, findClient, type KeycloakClient, type KeycloakUser, type RealmState } from "@/e2e/world/keycloak-realm";
import { handleLogin, handleLogout, handleUserinfo, withJwtAsJti } from "@/e2e/world/keycloak-routes";
import { createRealmStore, realmJwtToJti, type JwtToJti } from "@/e2e/world/keycloak-store";

export { defaultKeycloakUsers };
export type { KeycloakClient, KeycloakUser };

export interface KeycloakOptions {
  port?: number /* 0 = random, default 0 */;
  host?: string /* default 127.0.0.1 */;
  realm?: string /* default "gatehouse" */;
  users?: KeycloakUser[];
  clients?: KeycloakClient[];
  accessTokenTtlSeconds?: number /* default 300 */;
}

export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  expires_in: number;
}

export interface KeycloakServer {
  url: string; // http://127.0.0.1:PORT
  issuer: string; // http://127.0.0.1:PORT/realms/<realm>
  jwksUri: string;
  tokenEndpoint: string;
  users: KeycloakUser[];
  clients: KeycloakClient[];
  /** Over real HTTP to the token endpoint. The secret defaults to the registered one; scope to "openid". */
  passwordGrant(opts: {
    username: string;
    password: string;
    clientId: string;
    clientSecret?: string;
    scope?: string;
  }): Promise<TokenResponse>;
  /** Drive the browser login over HTTP (fetch + cookie jar): GET the authorize URL, submit the login form as this user, return the final redirect Location to the client's redirect_uri (not followed). */
  authorizeAs(authorizeUrl: string, username: string, password: string): Promise<string>;
  /** Sign arbitrary claims with the realm's real signing key (for negative tests: expired, wrong aud, ...). */
  signToken(claims: Record<string, unknown>, opts?: { kid?: string; alg?: string }): Promise<string>;
  counters: { tokenExchanges: number; passwordGrants: number; refreshGrants: number };
  /**
   * Changes a user at the IdP while it runs, as an admin would in Keycloak's console (roles, groups,
   * `disabled`): tokens issued from then on, refreshed ones included, carry the change.
   */
  updateUser(username: string, change: Partial<Omit<KeycloakUser, "username" | "sub">>): void;
  close(): Promise<void>;
}

/** A token endpoint refusal, with Keycloak's status, error code and description. */
export class KeycloakTokenError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorDescription?: string,
  ) {
    super(`token request failed (${status}): ${error}${errorDescription ? `: ${errorDescription}` : ""}`);
    this.name = "KeycloakTokenError";
  }
}

async function createRealmKeys() {
  const pair = await generateKeyPair("RS256", { extractable: true });
  const privateKey = KeyObject.from(pair.privateKey);
  const publicKey = KeyObject.from(pair.publicKey);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicKey, signingJwk };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** `/realms/<realm>` itself: Keycloak's realm description, which some adapters read for the public key. */
function realmInfo(realm: RealmState) {
  return {
    realm: realm.realm,
    public_key: realm.keys.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    "token-service": `${realm.issuer}/protocol/openid-connect`,
    "account-service": `${realm.issuer}/account`,
    "tokens-not-before": 0,
  };
}

function createRouter(provider: Provider, realm: RealmState, jwtToJti: JwtToJti) {
  const providerCallback = provider.callback();
  return async (incoming: IncomingMessage, res: ServerResponse) => {
    let req = incoming;
    const path = (req.url ?? "/").split("?")[0]!;
    if (path === realm.realmPath) return json(res, 200, realmInfo(realm));
    if (!path.startsWith(`${realm.realmPath}/`)) return json(res, 404, { error: "Realm does not exist" });
    const local = path.slice(realm.realmPath.length);
    if (local.startsWith("/login-actions/authenticate/")) return handleLogin(provider, realm, req, res);
    if (local === KEYCLOAK_ROUTES.userinfo) return handleUserinfo(provider, realm, req, res);
    if (local === KEYCLOAK_ROUTES.end_session) return handleLogout(provider, realm, req, res);
    if (local === KEYCLOAK_ROUTES.introspection || local === KEYCLOAK_ROUTES.revocation) req = await withJwtAsJti(req, jwtToJti);
    // Keycloak serves its metadata under the RFC 8414 name too; MCP clients look there first.
    const rest =
      local === "/.well-known/oauth-authorization-server" ? "/.well-known/openid-configuration" : req.url!.slice(realm.realmPath.length);
    // Mounted like Express does it: oidc-provider derives its URLs from originalUrl minus url.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = `${realm.realmPath}${rest}`;
    req.url = rest;
    return providerCallback(req, res);
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startKeycloak(opts: KeycloakOptions = {}): Promise<KeycloakServer> {
  const host = opts.host ?? "127.0.0.1";
  const realmName = opts.realm ?? "gatehouse";
  const server = createServer();
  const port = await listen(server, opts.port ?? 0, host);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const realmPath = `/realms/${encodeURIComponent(realmName)}`;
  const { signingJwk, ...keys } = await createRealmKeys();
  const realm: RealmState = {
    realm: realmName,
    url,
    realmPath,
    issuer: `${url}${realmPath}`,
    // Each server its own copy: a test that changes a user at runtime must not change other worlds.
    users: structuredClone(opts.users ?? defaultKeycloakUsers),
    clients: opts.clients ?? [],
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 300,
    keys,
    counters: { tokenExchanges: 0, passwordGrants: 0, refreshGrants: 0 },
    audienceOverrides: new WeakMap(),
  };

  const jwtToJti = realmJwtToJti(realm);
  const adapter = createRealmStore(jwtToJti);
  const provider = new Provider(
    realm.issuer,
    buildConfiguration({ realm, signingJwk, cookieKey: randomBytes(32).toString("hex"), adapter }),
  );
  registerPasswordGrant(provider, realm);
  registerTokenExchange(provider, realm);
  // Refresh grants are oidc-provider's own: counted here, so a test can tell how many reached the IdP.
  provider.on("grant.success", (ctx: { oidc: { params?: { grant_type?: unknown } } }) => {
    if (ctx.oidc.params?.grant_type === "refresh_token") realm.counters.refreshGrants++;
  });

  const route = createRouter(provider, realm, jwtToJti);
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      console.error("keycloak stand-in: unexpected error", err);
      if (!res.headersSent) json(res, 500, { error: "server_error" });
      else res.end();
    });
  });

  const tokenEndpoint = `${realm.issuer}${KEYCLOAK_ROUTES.token}`;
  return {
    url,
    issuer: realm.issuer,
    jwksUri: `${realm.issuer}${KEYCLOAK_ROUTES.jwks}`,
    tokenEndpoint,
    users: realm.users,
    clients: realm.clients,
    counters: realm.counters,
    passwordGrant: (grant) => requestPasswordGrant(tokenEndpoint, realm.clients, grant),
    authorizeAs: (authorizeUrl, username, password) => authorizeAs(realmPath, authorizeUrl, username, password),
    signToken: (claims, signOpts) => signToken(keys, claims, signOpts),
    updateUser: (username, change) => {
      const user = realm.users.find((u) => u.username === username);
      if (!user) throw new Error(`the Keycloak stand-in has no user ${username}`);
      Object.assign(user, structuredClone(change));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets (fetch keeps them) would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

async function requestPasswordGrant(
  tokenEndpoint: string,
  clients: readonly KeycloakClient[],
  grant: { username: string; password: string; clientId: string; clientSecret?: string; scope?: string },
): Promise<TokenResponse> {
  const client = findClient(clients, grant.clientId);
  const secret = grant.clientSecret ?? (client?.public ? undefined : client?.clientSecret);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (secret) {
    const basic = `${encodeURIComponent(grant.clientId)}:${encodeURIComponent(secret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
  }
  const body = new URLSearchParams({
    grant_type: "password",
    client_id: grant.clientId,
    username: grant.username,
    password: grant.password,
    scope: grant.scope ?? "openid",
  });
  const res = await fetch(tokenEndpoint, { method: "POST", headers, body });
  const payload = (await res.json()) as TokenResponse & { error?: string; error_description?: string };
  if (!res.ok) throw new KeycloakTokenError(res.status, payload.error ?? "unknown_error", payload.error_description);
  return payload;
}

/**
 * Signs exactly the given claims (nothing is added). `alg: "none"` gives an unsigned token and an
 * `HS*` alg uses the realm's public key PEM as the HMAC secret (the key-confusion attack).
 */
async function signToken(
  keys: { kid: string; privateKey: KeyObject; publicKey: KeyObject },
  claims: Record<string, unknown>,
  opts: { kid?: string; alg?: string } = {},
): Promise<string> {
  const alg = opts.alg ?? "RS256";
  if (alg === "none") return new UnsecuredJWT(claims).encode();
  const key = alg.startsWith("HS")
    ? new TextEncoder().encode(keys.publicKey.export({ type: "spki", format: "pem" }).toString())
    : keys.privateKey;
  return new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT", kid: opts.kid ?? keys.kid }).sign(key);
}
