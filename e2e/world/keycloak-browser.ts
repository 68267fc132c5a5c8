// A scripted browser for the realm's login: plain fetch plus a cookie jar, for tests that need an
// authorization code without Playwright.

/** Cookies by name. Paths and domains are ignored: the jar only ever talks to one realm. */
class CookieJar {
  private cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (expired || !value) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

const decodeEntities = (s: string) => s.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");

/** The login form's action, or undefined when the page is not the login page. */
function loginFormAction(html: string): string | undefined {
  const form = /<form[^>]*id="kc-form-login"[^>]*>/.exec(html)?.[0];
  const action = form && /action="([^"]*)"/.exec(form)?.[1];
  return action === undefined || action === null ? undefined : decodeEntities(action);
}

function pageError(html: string): string {
  const message = /id="(?:input-error|kc-error-message)"[^>]*>([^<]*)</.exec(html)?.[1];
  return message
    ? decodeEntities(message)
    : html
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim()
        .slice(0, 200);
}

/**
 * Follows the authorization request through the realm's login page as `username` and returns the
 * redirect that leaves the realm (to the client's redirect_uri, with `code` or `error`), unfollowed.
 */
export async function authorizeAs(realmPath: string, authorizeUrl: string, username: string, password: string): Promise<string> {
  // The realm as the authorize URL names it (127.0.0.1 and localhost are different cookie hosts).
  const realmUrl = new URL(authorizeUrl).origin + realmPath;
  const jar = new CookieJar();
  let url = authorizeUrl;
  let init: RequestInit = {};
  let submitted = false;

  for (let step = 0; step < 10; step++) {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers ?? {}), cookie: jar.header() } });
    jar.store(res);
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url).href;
      if (!next.startsWith(`${realmUrl}/`)) return next;
      url = next;
      init = {};
      continue;
    }
    const html = await res.text();
    const action = res.status === 200 ? loginFormAction(html) : undefined;
    if (!action) throw new Error(`authorizeAs: the realm answered ${res.status}: ${pageError(html)}`);
    if (submitted) throw new Error(`authorizeAs: login as ${username} failed: ${pageError(html)}`);
    submitted = true;
    url = new URL(action, url).href;
    init = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password }).toString(),
    };
  }
  throw new Error("authorizeAs: too many redirects");
}
