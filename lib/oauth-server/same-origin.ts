// The same-origin check for the consent form's cookie-authenticated POST: the browser's `Origin`
// (or, without it, `Sec-Fetch-Site`) must say the form came from Gatehouse itself, so another site
// cannot make a signed-in user approve a client. One function, to be replaced by the app-wide
// request guard when there is one.
import { env } from "@/lib/env";

export function isSameOriginRequest(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (origin) return origin === new URL(env().APP_URL).origin;
  return req.headers.get("sec-fetch-site") === "same-origin";
}
