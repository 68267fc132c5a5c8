// Runs before every page and server action. It passes the requested path on so a page that needs
// sign-in can come back to it, and it puts every state change sent to a page (that is, every server
// action: they are POSTs to the page's own URL) through the one request guard. It decides nothing
// else: each page, action and route checks its own audience.
import { NextResponse, type NextRequest } from "next/server";
import { guardCookieRequest } from "@/lib/auth/request-guard";
import { errorBody, isAppError } from "@/lib/errors";

export function proxy(req: NextRequest) {
  try {
    // Next checks a server action's Origin against the Host header itself, but lets a request
    // without Origin through; this guard compares with APP_URL and wants proof either way.
    guardCookieRequest(req);
  } catch (e) {
    if (!isAppError(e)) throw e;
    const { status, body } = errorBody(e);
    return NextResponse.json(body, { status });
  }
  const headers = new Headers(req.headers);
  headers.set("x-gatehouse-path", req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/((?!api/|_next/|favicon.ico).*)"] };
