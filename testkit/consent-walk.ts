// For the consent tests (not shipped code): the browser's part of an MCP client's sign-in, as the
// consent page does it (lib/oauth-server/interaction.ts, signed in to the portal as `userId`), which
// also records every consent question the person was shown, so a test can assert that none was.
import {
  continueSignIn,
  decideAuthorization,
  getPendingAuthorization,
  INTERACTION_COOKIE,
  type PendingAuthorization,
} from "@/lib/oauth-server/interaction";
import { CookieJar, type BrowserOutcome } from "@/testkit/oauth-client";

export interface ConsentWalk {
  outcome: BrowserOutcome;
  /** The consent questions shown, in order (empty: the sign-in asked nothing). */
  asked: PendingAuthorization[];
}

export async function walkConsent(
  authorizationUrl: URL | string,
  opts: { userId: string; decision?: "approve" | "deny"; jar?: CookieJar },
): Promise<ConsentWalk> {
  const jar = opts.jar ?? new CookieJar();
  const origin = new URL(authorizationUrl).origin;
  const asked: PendingAuthorization[] = [];
  let res = await jar.get(authorizationUrl);
  for (let hops = 0; hops < 8; hops++) {
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location)
      return { outcome: { kind: "page", status: res.status, body: await res.text() }, asked };
    const url = new URL(location, origin);
    if (url.origin !== origin) return { outcome: { kind: "redirect", url }, asked };
    const interaction = /^\/oauth\/interaction\/([^/]+)$/.exec(url.pathname);
    if (!interaction) {
      res = await jar.get(url);
      continue;
    }
    const uid = decodeURIComponent(interaction[1]!);
    const cookie = jar.cookies.get(INTERACTION_COOKIE);
    const pending = await getPendingAuthorization(uid, cookie, opts.userId);
    let returnTo: string;
    if (pending.prompt === "login") returnTo = await continueSignIn({ uid, interactionCookie: cookie, userId: opts.userId });
    else {
      asked.push(pending);
      returnTo = await decideAuthorization({ uid, interactionCookie: cookie, userId: opts.userId, approve: opts.decision !== "deny" });
    }
    res = await jar.get(returnTo);
  }
  throw new Error("too many redirects at the authorization server");
}
