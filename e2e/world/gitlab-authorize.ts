// Walks GitLab's browser authorization with fetch and a cookie jar, the way a person would click it.
import { CookieJar } from "./http.js";

const MAX_STEPS = 12;

/**
 * Follows redirects on the GitLab origin, fills the sign-in form, clicks Authorize (or Deny), and
 * returns the first redirect that leaves GitLab: the application's redirect_uri with code or error.
 */
export async function driveAuthorization(
  baseUrl: string,
  authorizeUrl: string,
  credentials: { username: string; password: string },
  decision: "authorize" | "deny",
): Promise<string> {
  const origin = new URL(baseUrl).origin;
  const jar = new CookieJar();
  let res = await jar.fetch(authorizeUrl);
  let at = authorizeUrl;
  let signedIn = false;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (res.status >= 300 && res.status < 400) {
      const location = new URL(res.headers.get("location") ?? "", at).href;
      if (new URL(location).origin !== origin) return location;
      at = location;
      res = await jar.fetch(location);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`GitLab answered ${res.status} at ${at}: ${html.slice(0, 300)}`);
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form on GitLab page ${at}`);
    const target = new URL(action, at).href;
    if (action.endsWith("/login")) {
      if (signedIn) throw new Error(`GitLab sign-in failed for ${credentials.username}`);
      signedIn = true;
      res = await postForm(jar, target, credentials);
    } else {
      res = await postForm(jar, target, { decision });
    }
    at = target;
  }
  throw new Error("GitLab authorization did not finish");
}

function postForm(jar: CookieJar, url: string, fields: Record<string, string>): Promise<Response> {
  return jar.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}
