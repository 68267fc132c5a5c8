// Wrappers for route handlers, one per audience: each resolves the caller, maps AppError codes to
// HTTP in one place, and answers unexpected errors with a generic 500 and a request id.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { bearerFromHeader } from "@/lib/auth/bearer";
import type { Caller } from "@/lib/auth/caller";
import { isAdminRoles } from "@/lib/auth/claims";
import { carriesSeveralCredentials, DUPLICATE_AUTHORIZATION } from "@/lib/auth/duplicate-authorization";
import { inboundVerifier } from "@/lib/auth/inbound-verifier";
import { assertJsonContentType, guardCookieRequest } from "@/lib/auth/request-guard";
import { sessionFromRequest } from "@/lib/auth/request-session";
import { AppError, errorBody, fieldErrors } from "@/lib/errors";
import { log } from "@/lib/log";
import { upsertUser } from "@/lib/users/upsert-user";

/** The one Caller, and how it proved who it is. */
export type RouteCaller = Caller & { via: "session" | "bearer" };

type Ctx<P> = { params: Promise<P> };
type Handler<P> = (args: { req: Request; params: P; caller: RouteCaller; requestId: string }) => Promise<Response>;

interface Resolved {
  caller: RouteCaller | null;
  /** The session cookie re-written after a role refresh, for the response. */
  setCookies: string[];
}

async function resolveCaller(req: Request): Promise<Resolved> {
  const header = req.headers.get("authorization");
  // Route handlers see duplicates joined with ", " (server.ts refuses them before Next parses them away).
  if (carriesSeveralCredentials(header)) throw new AppError("bad_request", DUPLICATE_AUTHORIZATION);
  if (header) {
    const token = bearerFromHeader(header);
    if (!token) throw new AppError("unauthorized", "Send the token as `Authorization: Bearer <access token>`.");
    const { identity } = await inboundVerifier().verify(token);
    const user = await upsertUser(identity);
    const isAdmin = isAdminRoles(identity.roles);
    const caller: RouteCaller = {
      userId: user.id,
      username: identity.username ?? null,
      roles: identity.roles,
      groups: identity.groups,
      isAdmin,
      via: "bearer",
    };
    return { caller, setCookies: [] };
  }
  const { user: u, setCookies } = await sessionFromRequest(req);
  if (!u) return { caller: null, setCookies };
  // The cookie rides along on requests other sites start: a state change must come from our own pages.
  guardCookieRequest(req);
  return {
    caller: { userId: u.userId, username: u.username, roles: u.roles, groups: u.groups, isAdmin: u.isAdmin, via: "session" },
    setCookies,
  };
}

function wrap<P>(audience: "user" | "admin", handler: Handler<P>) {
  return async (req: Request, ctx: Ctx<P>): Promise<Response> => {
    const requestId = randomUUID();
    let setCookies: string[] = [];
    const withCookies = (res: Response) => {
      for (const cookie of setCookies) res.headers.append("set-cookie", cookie);
      return res;
    };
    try {
      const resolved = await resolveCaller(req);
      setCookies = resolved.setCookies;
      const caller = resolved.caller;
      if (!caller) throw new AppError("unauthorized", "Sign in, or send a Keycloak access token as `Authorization: Bearer`.");
      if (audience === "admin" && !caller.isAdmin) throw new AppError("forbidden", "This needs the Gatehouse admin role.");
      const res = await handler({ req, params: await ctx.params, caller, requestId });
      res.headers.set("x-request-id", requestId);
      return withCookies(res);
    } catch (e) {
      return withCookies(errorResponse(e, requestId));
    }
  };
}

export const withUser = <P = Record<string, never>>(h: Handler<P>) => wrap("user", h);
export const withAdmin = <P = Record<string, never>>(h: Handler<P>) => wrap("admin", h);

export function errorResponse(e: unknown, requestId: string): Response {
  const { status, body } = errorBody(e, requestId);
  if (status >= 500) log.error({ requestId, err: e instanceof Error ? e.message : String(e) }, "request failed");
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="gatehouse"';
  return Response.json(body, { status, headers });
}

/**
 * Reads and validates a JSON body: 415 unless it is declared application/json, 400 when it is not
 * JSON, 422 with field errors when it breaks the schema.
 */
export async function parseJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  assertJsonContentType(req);
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new AppError("bad_request", "The request body must be JSON.");
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new AppError("validation", "Some fields are not valid.", fieldErrors(result.error.issues));
  return result.data;
}
