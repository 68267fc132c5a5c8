// A Gatehouse-issued access token for the bench, obtained as an MCP client and its user would, with
// no browser: dynamic registration at /oauth/reg, the authorization request with PKCE S256 and the
// exact MCP URL as `resource`, the user's portal sign-in (next-auth through the Keycloak stand-in),
// the real consent page and its decision route approved over HTTP with that session's cookies, then
// the code exchanged at /oauth/token. The app runs as its own process on its own database, so the
// real routes are the only way in, and the token is exactly what a client would hold.
import { createHash, randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { location, signInToPortal } from "@/bench/link-account";
import type { Stack } from "@/e2e/stack";
import { CookieJar } from "@/e2e/world/http";

/** Never listened on: the bench reads the code from the redirect itself. */
const REDIRECT_URI = "http://127.0.0.1:9/callback";
const MAX_HOPS = 8;

export async function gatehouseToken(stack: Stack, user: { username: string; password: string }): Promise<string> {
  const { appUrl, mcpUrl } = stack;
  const jar = new CookieJar();
  await signInToPortal(jar, { appUrl, world: stack.world, keycloak: user });
  const clientId = await register(appUrl);
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("hex");
  const authorize = new URL(`${appUrl}/oauth/authorize`);
  for (const [k, v] of Object.entries({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: "mcp",
    state,
    resource: mcpUrl,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  })) {
    authorize.searchParams.set(k, v);
  }
  const consentUrl = await follow(jar, authorize.href, appUrl, (url) => /^\/oauth\/interaction\/[^/]+$/.test(url.pathname));
  const callback = new URL(await follow(jar, await approve(jar, consentUrl, appUrl), appUrl, (url) => url.href.startsWith(REDIRECT_URI)));
  const code = callback.searchParams.get("code");
  if (!code || callback.searchParams.get("state") !== state)
    throw new Error(`the authorization did not return a code for our state: ${callback.search}`);
  // RFC 9207: the code must come from the app's authorization server, as a client would check.
  if (callback.searchParams.get("iss") !== appUrl)
    throw new Error(`the authorization response names issuer ${callback.searchParams.get("iss")}, not ${appUrl}`);
  return exchangeCode({ appUrl, mcpUrl, clientId, code, verifier });
}

/** RFC 7591: a public client with a loopback redirect URI, as an MCP client registers itself. */
async function register(appUrl: string): Promise<string> {
  const res = await fetch(`${appUrl}/oauth/reg`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "gatehouse-bench",
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    }),
  });
  const body = (await res.json()) as { client_id?: string; error?: string; error_description?: string };
  if (res.status !== 201 || !body.client_id)
    throw new Error(`client registration failed (${res.status}): ${body.error}: ${body.error_description}`);
  return body.client_id;
}

/** The user's part: the consent page must render for the signed-in user, then Approve is posted as its form would. */
async function approve(jar: CookieJar, interactionUrl: string, appUrl: string): Promise<string> {
  // The first interaction may be the sign-in step, answered for the portal's user with a redirect to
  // the consent interaction: follow it to the page that asks.
  let consentUrl = interactionUrl;
  let page = await jar.fetch(consentUrl);
  for (let hop = 0; page.status >= 300 && page.status < 400 && hop < MAX_HOPS; hop++) {
    consentUrl = new URL(location(page, "the sign-in interaction"), appUrl).href;
    page = await jar.fetch(consentUrl);
  }
  const html = await page.text();
  if (page.status !== 200 || !html.includes('value="approve"'))
    throw new Error(`the consent page answered ${page.status} without its Approve button`);
  const decision = await jar.fetch(`${consentUrl}/decision`, {
    method: "POST",
    // A browser posting the page's own form sends its origin: the decision route checks it.
    headers: { "content-type": "application/x-www-form-urlencoded", origin: appUrl },
    body: new URLSearchParams({ decision: "approve" }).toString(),
  });
  return location(decision, "the consent decision");
}

/** Follows redirects (with the cookies) until `done` matches the next location; returns that location. */
async function follow(jar: CookieJar, start: string, appUrl: string, done: (url: URL) => boolean): Promise<string> {
  let next = start;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const res = await jar.fetch(next);
    const to = new URL(location(res, `${new URL(next).pathname} at the authorization server`), appUrl);
    if (done(to)) return to.href;
    if (to.origin !== new URL(appUrl).origin)
      throw new Error(
        `the authorization left the app for ${to.origin}${to.pathname}${to.search.includes("error") ? ` (${to.search})` : ""}`,
      );
    next = to.href;
  }
  throw new Error(`no end after ${MAX_HOPS} redirects at the authorization server (last: ${next})`);
}

async function exchangeCode(o: { appUrl: string; mcpUrl: string; clientId: string; code: string; verifier: string }): Promise<string> {
  const res = await fetch(`${o.appUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: o.clientId,
      code: o.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: o.verifier,
      resource: o.mcpUrl,
    }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!res.ok || !body.access_token) throw new Error(`the code exchange failed (${res.status}): ${body.error}: ${body.error_description}`);
  // A token for another audience would fail at the gateway as 401s in the middle of the measurement.
  const { aud } = decodeJwt(body.access_token);
  if (aud !== o.mcpUrl) throw new Error(`the Gatehouse token is for ${JSON.stringify(aud)}, not ${o.mcpUrl}`);
  return body.access_token;
}
