// Links alice's GitLab account the way her browser would, over HTTP with a cookie jar: sign in to
// the app through the Keycloak stand-in (next-auth), then the app's link flow through the GitLab
// stand-in. The app holds its embedded database alone, so the bench cannot write the link itself;
// going through the real routes also means the link is exactly what a user's would be.
import type { World } from "@/e2e/world";
import { CookieJar } from "@/e2e/world/http";

export interface SignInAs {
  appUrl: string;
  world: World;
  keycloak: { username: string; password: string };
}

export interface LinkAs extends SignInAs {
  gitlab: { username: string; password: string };
}

export async function linkGitLab(o: LinkAs): Promise<void> {
  const jar = new CookieJar();
  await signInToPortal(jar, o);
  // As a browser clicking the Link button on our own page: the start route wants same-origin proof.
  const start = await jar.fetch(`${o.appUrl}/api/links/gitlab/start`, { headers: { "sec-fetch-site": "same-origin" } });
  const authorizeUrl = location(start, "the link start");
  if (!authorizeUrl.startsWith(o.world.gitlab.url)) throw new Error(`the link start did not send us to GitLab but to ${authorizeUrl}`);
  const callback = await o.world.gitlab.authorizeAs(authorizeUrl, o.gitlab.username, o.gitlab.password);
  const done = location(await jar.fetch(callback), "the link callback");
  if (new URL(done).searchParams.has("error")) throw new Error(`linking failed: ${done}`);
}

/** Signs `jar` in to the portal (next-auth through the Keycloak stand-in), as the user's browser would. */
export async function signInToPortal(jar: CookieJar, o: SignInAs): Promise<void> {
  const csrf = (await (await jar.fetch(`${o.appUrl}/api/auth/csrf`)).json()) as { csrfToken?: string };
  if (!csrf.csrfToken) throw new Error("next-auth gave no CSRF token");
  const started = await jar.fetch(`${o.appUrl}/api/auth/signin/keycloak`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl: `${o.appUrl}/links`, json: "true" }).toString(),
  });
  const { url } = (await started.json()) as { url?: string };
  if (!url?.startsWith(o.world.keycloak.issuer)) throw new Error(`sign-in did not start at Keycloak (${started.status} ${url})`);
  const callback = await o.world.keycloak.authorizeAs(url, o.keycloak.username, o.keycloak.password);
  const landed = location(await jar.fetch(callback), "the sign-in callback");
  if (new URL(landed).searchParams.has("error")) throw new Error(`sign-in failed: ${landed}`);
}

export function location(res: Response, what: string): string {
  const to = res.headers.get("location");
  if (res.status < 300 || res.status >= 400 || !to) throw new Error(`${what} answered ${res.status} without a redirect`);
  return new URL(to, res.url).href;
}
