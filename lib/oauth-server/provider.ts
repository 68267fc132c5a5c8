// The authorization server (oidc-provider), one per process, created on first use: its signing key
// comes from the database. server.ts routes /oauth/* and the discovery documents here (isOAuthPath).
import type { IncomingMessage, ServerResponse } from "node:http";
import Provider from "oidc-provider";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { createPrismaAdapter } from "@/lib/oauth-server/adapter";
import { buildConfiguration, OAUTH_ROUTES } from "@/lib/oauth-server/configuration";
import { registrationRetryAfter } from "@/lib/oauth-server/registration-limit";
import { MCP_SCOPE } from "@/lib/oauth-server/resources";
import { getSigningKey } from "@/lib/oauth-server/signing-key";
import { singleton } from "@/lib/singleton";

const RFC8414_PATH = "/.well-known/oauth-authorization-server";

type Callback = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export async function getOAuthProvider(): Promise<Provider> {
  return (await started()).provider;
}

function started(): Promise<{ provider: Provider; callback: Callback }> {
  const holder = singleton<{ current?: Promise<{ provider: Provider; callback: Callback }> }>("oauth.provider", () => ({}));
  holder.current ??= createProvider()
    .then((provider) => ({ provider, callback: provider.callback() as Callback }))
    .catch((e: unknown) => {
      holder.current = undefined;
      throw e;
    });
  return holder.current;
}

async function createProvider(): Promise<Provider> {
  const e = env();
  const provider = new Provider(e.APP_URL, buildConfiguration({ adapter: createPrismaAdapter(), signingKey: await getSigningKey() }));
  // Behind a TLS-terminating proxy the app sees http; APP_URL says what the public scheme is.
  provider.proxy = e.APP_URL.startsWith("https:");
  // Many MCP clients send no scope; Gatehouse has just one, so an authorization without one asks for it
  // (oidc-provider would otherwise end it with access_denied: nothing granted).
  provider.use(async (ctx, next) => {
    if (ctx.path === OAUTH_ROUTES.authorization && ctx.method === "GET" && !ctx.query.scope) ctx.query = { ...ctx.query, scope: MCP_SCOPE };
    await next();
  });
  provider.on("server_error", (_ctx, err) => log.error({ err: err.message }, "authorization server error"));
  return provider;
}

/** The Node handler server.ts calls for isOAuthPath() requests. */
export async function handleOAuthRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const path = req.url?.split("?", 1)[0];
    if (req.method === "POST" && path === OAUTH_ROUTES.registration) {
      const retryAfter = registrationRetryAfter(req);
      if (retryAfter > 0) return tooManyRegistrations(res, retryAfter);
    }
    const { callback } = await started();
    // RFC 8414's name for the metadata oidc-provider serves as OpenID discovery (same document).
    if (path === RFC8414_PATH) req.url = "/.well-known/openid-configuration";
    await callback(req, res);
  } catch (e) {
    log.error({ err: (e as Error).message }, "the authorization server could not answer");
    if (!res.headersSent) {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: "temporarily_unavailable",
          error_description: "The authorization server is starting or its database is unreachable. Try again shortly.",
        }),
      );
    } else res.end();
  }
}

function tooManyRegistrations(res: ServerResponse, retryAfter: number): void {
  res.writeHead(429, { "content-type": "application/json", "retry-after": String(retryAfter), "cache-control": "no-store" });
  res.end(
    JSON.stringify({
      error: "temporarily_unavailable",
      error_description: `Too many client registrations from your address. Try again in ${retryAfter} s, or reuse the registration you already have.`,
    }),
  );
}
