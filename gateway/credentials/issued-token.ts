// The two modes whose token comes from an OAuth token endpoint share how it is asked for and kept:
// cached per key until shortly before it expires (then asked for again: that is the refresh), one
// request in flight per key, and a refusal as an upstream error naming the backend (except the
// caller's ended sign-in, which the gateway answers with 401: lib/oauth-server/sign-in-ended.ts).
import { bearer, type Credential, type ModeDeps } from "@/gateway/credentials/credential";
import { requestAccessToken, type IssuedToken, type TokenEndpointRequest } from "@/gateway/credentials/request-access-token";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { AppError } from "@/lib/errors";
import { isSignInEnded } from "@/lib/oauth-server/sign-in-ended";
import { inSpan } from "@/lib/tracing/spans";

/** Cache keys start with `<backendId>:`, so a backend's tokens can be forgotten together. */
export const tokenKey = (backend: RuntimeBackend, rest: string) => `${backend.id}:${backend.version}:${rest}`;

type Request = Omit<TokenEndpointRequest, "timeoutMs" | "fetch">;

// One credential per issued token: a cache hit allocates nothing.
const credentials = new WeakMap<IssuedToken, Credential>();

/**
 * The credential from a fresh cached token, synchronously, or undefined: the per-call path asks this
 * first, before it builds anything a token request would need.
 */
export function cachedIssuedCredential(deps: ModeDeps, key: string, identity: string): Credential | undefined {
  const token = deps.tokens.fresh(key);
  if (!token) return undefined;
  let credential = credentials.get(token);
  if (!credential || credential.identity !== identity)
    credentials.set(token, (credential = { headers: bearer(token.accessToken), identity }));
  return credential;
}

export function issuedTokenCredential(
  backend: RuntimeBackend,
  deps: ModeDeps,
  c: { key: string; identity: string; what: string; request: Request | (() => Request) },
): Credential | Promise<Credential> {
  const cached = cachedIssuedCredential(deps, c.key, c.identity);
  if (cached) return cached;
  const request = typeof c.request === "function" ? c.request() : c.request;
  const token = deps.tokens.get(c.key, async () => {
    try {
      return await inSpan(
        "gatehouse.token_request",
        () => ({ "gatehouse.backend": backend.slug, "gatehouse.grant": request.subjectToken ? "token_exchange" : "client_credentials" }),
        () => requestAccessToken({ ...request, timeoutMs: backend.timeoutMs, fetch: deps.fetch }),
      );
    } catch (e) {
      // The caller's own sign-in ended (token_exchange subject): theirs to mend, not the backend's failure.
      if (isSignInEnded(e)) throw e;
      throw new AppError("upstream", `Backend "${backend.displayName}": ${c.what} failed: ${(e as Error).message}`);
    }
  });
  return typeof token === "string"
    ? { headers: bearer(token), identity: c.identity }
    : token.then((t) => ({ headers: bearer(t), identity: c.identity }));
}

export const forgetIssuedTokens = (backendId: string, deps: ModeDeps) => deps.tokens.drop(`${backendId}:`);
