// The next-auth session of a route handler's own Request. getServerSession's one-argument form reads
// Next's request context and drops the cookies next-auth wants to set; given the request and a
// response stand-in it hands them back, so a session whose roles were re-read (see
// lib/auth/session-roles.ts) is written back to the browser with the route's answer.
import { getServerSession } from "next-auth";
import { sessionCaller, type SessionClaims, type SessionUser } from "@/lib/auth/caller";
import { authOptions } from "@/lib/auth/options";

export interface RequestSession {
  user: SessionUser | null;
  /** Set-Cookie values to add to the response (the re-encrypted session cookie). */
  setCookies: string[];
}

export async function sessionFromRequest(req: Request): Promise<RequestSession> {
  const setCookies: string[] = [];
  const res = {
    getHeader: (name: string) => (name.toLowerCase() === "set-cookie" ? [...setCookies] : undefined),
    setHeader: (name: string, value: string | string[]) => {
      if (name.toLowerCase() !== "set-cookie") return;
      setCookies.splice(0, setCookies.length, ...(Array.isArray(value) ? value : [value]));
    },
  };
  const nodeLikeReq = { headers: Object.fromEntries(req.headers), cookies: parseCookies(req.headers.get("cookie")) };
  const args = [nodeLikeReq, res, authOptions()] as unknown as Parameters<typeof getServerSession>;
  const session = (await getServerSession(...args)) as { user?: SessionClaims } | null;
  const user = sessionCaller(session?.user);
  return { user, setCookies };
}

function parseCookies(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}
