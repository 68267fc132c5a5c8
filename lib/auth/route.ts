// Wrappers for route handlers, one per audience: each resolves the caller, maps AppError codes to
// HTTP in one place, and answers unexpected errors with a generic 500 and a request id.
import { randomUUID } from "node:crypto";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { AppError, errorBody, fieldErrors } from "@/lib/errors";
import { log } from "@/lib/log";
import { upsertUser } from "@/lib/users/upsert-user";
import { bearerFromHeader } from "@/lib/auth/bearer";
import { carriesSeveralCredentials, DUPLICATE_AUTHORIZATION } from "@/lib/auth/duplicate-authorization";
import { isAdminRoles } from "@/lib/auth/claims";
import { inboundVerifier } from "@/lib/auth/inbound-verifier";
import { authOptions } from "@/lib/auth/options";
import type { SessionUser } from "@/lib/auth/session";

export interface Caller {
  id: string;
  username: string | null;
  roles: string[];
  groups: string[];
  isAdmin: boolean;
  via: "session" | "bearer";
}

type Ctx<P> = { params: Promise<P> };
type Handler<P> = (args: { req: Request; params: P; caller: Caller; requestId: string }) => Promise<Response>;

async function resolveCaller(req: Request): Promise<Caller | null> {
  const header = req.headers.get("authorization");
  // Route handlers see duplicates joined with ", " (server.ts refuses them before Next parses them away).
  if (carriesSeveralCredentials(header)) throw new AppError("bad_request", DUPLICATE_AUTHORIZATION);
  if (header) {
    const token = bearerFromHeader(header);
    if (!token) throw new AppError("unauthorized", "Send the token as `Authorization: Bearer <access token>`.");
    const { identity } = await inboundVerifier().verify(token);
    const user = await upsertUser(identity);
    const isAdmin = isAdminRoles(identity.roles);
    return { id: user.id, username: identity.username ?? null, roles: identity.roles, groups: identity.groups, isAdmin, via: "bearer" };
  }
  const session = await getServerSession(authOptions());
  const u = session?.user as SessionUser | undefined;
  if (!u?.id) return null;
  return { id: u.id, username: u.username, roles: u.roles, groups: u.groups, isAdmin: u.isAdmin, via: "session" };
}

function wrap<P>(audience: "user" | "admin", handler: Handler<P>) {
  return async (req: Request, ctx: Ctx<P>): Promise<Response> => {
    const requestId = randomUUID();
    try {
      const caller = await resolveCaller(req);
      if (!caller) throw new AppError("unauthorized", "Sign in, or send a Keycloak access token as `Authorization: Bearer`.");
      if (audience === "admin" && !caller.isAdmin) throw new AppError("forbidden", "This needs the Gatehouse admin role.");
      const res = await handler({ req, params: await ctx.params, caller, requestId });
      res.headers.set("x-request-id", requestId);
      return res;
    } catch (e) {
      return errorResponse(e, requestId);
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

/** Reads and validates a JSON body: 400 when it is not JSON, 422 with field errors when it breaks the schema. */
export async function parseJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
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
