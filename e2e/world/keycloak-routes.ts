// The realm endpoints served beside oidc-provider: the login page, userinfo and logout. Each one
// differs from oidc-provider's own in a way a Keycloak client notices (see the function comments).
import { IncomingMessage, type ServerResponse } from "node:http";
import { compactVerify, decodeJwt } from "jose";
import type Provider from "oidc-provider";
import { errorPage, infoPage, loginPage, logoutConfirmPage } from "@/e2e/world/keycloak-pages";
import { findClient, findUserByLogin, findUserBySub, userClaims, type RealmState } from "@/e2e/world/keycloak-realm";
import type { JwtToJti } from "@/e2e/world/keycloak-store";

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (req.method !== "POST") return new URLSearchParams();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/**
 * oidc-provider refuses to introspect or revoke JWT access tokens; Keycloak does both. The request
 * goes on to oidc-provider with the JWT replaced by the jti it is recorded under (a JWT that is not
 * the realm's by a value that matches nothing, so it reads as inactive).
 */
export async function withJwtAsJti(req: IncomingMessage, jwtToJti: JwtToJti): Promise<IncomingMessage> {
  if (req.method !== "POST") return req;
  const form = await readForm(req);
  const token = form.get("token");
  if (token && token.split(".").length === 3) form.set("token", (await jwtToJti(token)) ?? "unknown-token");
  const body = form.toString();
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.headers = { ...req.headers, "content-length": String(Buffer.byteLength(body)) };
  // A message the HTTP parser did not fill counts as aborted, and would take the socket down with it.
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
  res.end(body);
}
const sendHtml = (res: ServerResponse, status: number, html: string) => send(res, status, "text/html; charset=utf-8", html);
const sendJson = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) =>
  send(res, status, "application/json", JSON.stringify(body), headers);

/** GET shows the login form; POST checks the password and hands the result back to oidc-provider. */
export async function handleLogin(provider: Provider, realm: RealmState, req: IncomingMessage, res: ServerResponse) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    return sendHtml(res, 400, errorPage(realm.realm, "Your login attempt timed out. Login will start from the beginning."));
  }
  const action = req.url!.split("?")[0]!;
  const clientId = details.params.client_id as string | undefined;

  if (details.prompt.name !== "login") {
    // Consent is granted automatically (see autoGrant); any other prompt would be a bug here.
    return sendHtml(res, 400, errorPage(realm.realm, `Unexpected prompt: ${details.prompt.name}`));
  }
  if (req.method !== "POST") return sendHtml(res, 200, loginPage({ realm: realm.realm, action, clientId }));

  const form = await readForm(req);
  const username = form.get("username") ?? "";
  const user = findUserByLogin(realm.users, username);
  if (!user || user.password !== form.get("password")) {
    // Keycloak answers a failed login with the form again, 200, and keeps the username.
    return sendHtml(res, 200, loginPage({ realm: realm.realm, action, clientId, username, error: "Invalid username or password." }));
  }
  await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
}

/**
 * oidc-provider refuses access tokens that carry an audience at userinfo; Keycloak accepts its own
 * access tokens there (with the `openid` scope).
 */
export async function handleUserinfo(provider: Provider, realm: RealmState, req: IncomingMessage, res: ServerResponse) {
  const form = await readForm(req);
  const header = req.headers.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? form.get("access_token") ?? undefined;
  const challenge = (error: string, description: string) =>
    `Bearer realm="${realm.realm}", error="${error}", error_description="${description}"`;
  if (!token) {
    return sendJson(
      res,
      401,
      { error: "invalid_request", error_description: "Token not provided" },
      {
        "www-authenticate": `Bearer realm="${realm.realm}"`,
      },
    );
  }
  const stored = await provider.AccessToken.find(token).catch(() => undefined);
  if (!stored) {
    return sendJson(
      res,
      401,
      { error: "invalid_token", error_description: "Token verification failed" },
      {
        "www-authenticate": challenge("invalid_token", "Token verification failed"),
      },
    );
  }
  if (!stored.scopes.has("openid")) {
    return sendJson(
      res,
      403,
      { error: "insufficient_scope", error_description: "Missing openid scope" },
      {
        "www-authenticate": challenge("insufficient_scope", "Missing openid scope"),
      },
    );
  }
  const user = findUserBySub(realm.users, stored.accountId);
  if (!user) return sendJson(res, 401, { error: "invalid_token", error_description: "User not found" });
  return sendJson(res, 200, { sub: user.sub, ...userClaims(user) });
}

/** An id_token_hint must be ours (signature and issuer); like Keycloak, an expired one still counts. */
async function clientFromIdTokenHint(realm: RealmState, hint: string): Promise<string | undefined> {
  try {
    await compactVerify(hint, realm.keys.publicKey);
    const { iss, aud, azp } = decodeJwt(hint);
    if (iss !== realm.issuer) return undefined;
    return typeof azp === "string" ? azp : Array.isArray(aud) ? aud[0] : aud;
  } catch {
    return undefined;
  }
}

async function endBrowserSession(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const ctx = provider.createContext(req, res);
  const name = provider.cookieName("session");
  const id = ctx.cookies.get(name, { signed: true });
  if (id) await (await provider.Session.find(id))?.destroy();
  ctx.cookies.set(name, null, { signed: true, path: "/" });
}

/**
 * RP-initiated logout the way Keycloak does it: with a valid id_token_hint it logs out and redirects
 * at once; with only client_id (or nothing) it asks first. oidc-provider always shows a page.
 */
export async function handleLogout(provider: Provider, realm: RealmState, req: IncomingMessage, res: ServerResponse) {
  const query = new URL(req.url!, realm.url).searchParams;
  const form = await readForm(req);
  const param = (name: string) => form.get(name) ?? query.get(name) ?? undefined;
  const fail = (message: string) => sendHtml(res, 400, errorPage(realm.realm, message));

  const hint = param("id_token_hint");
  let clientId = param("client_id");
  if (hint) {
    const hinted = await clientFromIdTokenHint(realm, hint);
    if (!hinted) return fail("Invalid IDToken");
    if (clientId && clientId !== hinted) return fail("Parameter client_id different than the client from the id_token_hint");
    clientId = hinted;
  }
  const client = findClient(realm.clients, clientId);
  if (clientId && !client) return fail("Invalid parameter: client_id");

  const redirectUri = param("post_logout_redirect_uri");
  if (redirectUri && !client)
    return fail("Either the parameter client_id or the parameter id_token_hint is required when post_logout_redirect_uri is used.");
  if (redirectUri && !(client?.postLogoutRedirectUris ?? []).includes(redirectUri)) return fail("Invalid redirect uri");

  if (!hint && param("confirm") !== "yes") {
    const action = new URL(req.url!, realm.url).pathname;
    const fields = { client_id: clientId, post_logout_redirect_uri: redirectUri, state: param("state") };
    return sendHtml(res, 200, logoutConfirmPage({ realm: realm.realm, action, fields }));
  }

  await endBrowserSession(provider, req, res);
  if (!redirectUri) return sendHtml(res, 200, infoPage(realm.realm, "You are logged out", "You are logged out."));
  const target = new URL(redirectUri);
  const state = param("state");
  if (state) target.searchParams.set("state", state);
  res.writeHead(302, { location: target.href, "cache-control": "no-store" });
  res.end();
}
