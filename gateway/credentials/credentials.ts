// The credential a backend gets, by its outgoing auth mode, and the "credential identity" that keys
// the upstream session and tool-list caches (who the backend will take the caller to be). The
// caller's inbound token is only ever the subject of a token exchange: it is never a credential.
import { getAccessToken } from "@/lib/links/get-access-token";
import { AppError, isAppError } from "@/lib/errors";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import type { Caller } from "@/gateway/types";
import { TokenCache } from "@/gateway/credentials/token-cache";
import { requestAccessToken } from "@/lib/backends/request-access-token";
import { idpAccessTokenFor } from "@/lib/oauth-server/idp-refresh-token";

export interface Credential {
  headers: Record<string, string>;
  /**
   * Who the backend takes the caller to be: "service" (none, static header, client credentials),
   * `user:<userId>:exchange` (token exchange) or `user:<userId>:link:<linkId>` (linked account).
   */
  identity: string;
}

export interface CredentialStore {
  /**
   * Rejects with AppError("link_required") for a linked-account backend without a usable link. A
   * credential at hand (cached token, static header) is returned synchronously: no promise per call.
   */
  forBackend(backend: RuntimeBackend, caller: Caller): Credential | Promise<Credential>;
  /** Forgets cached tokens of one backend (its secret or configuration changed). */
  dropBackend(backendId: string): void;
}

export interface CredentialOptions {
  fetch?: typeof fetch;
  linkToken?: typeof getAccessToken;
}

const SERVICE = "service";
const NO_CREDENTIAL: Credential = Object.freeze({ headers: Object.freeze({}), identity: SERVICE }) as Credential;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const withToken = (token: string | Promise<string>, identity: string): Credential | Promise<Credential> =>
  typeof token === "string" ? { headers: bearer(token), identity } : token.then((t) => ({ headers: bearer(t), identity }));

/** Keycloak exchanges only its own tokens: a Gatehouse-issued caller's subject comes from their kept Keycloak sign-in. */
const subjectTokenOf = (caller: Caller): string | Promise<string> => (caller.tokenKind === "gatehouse" ? idpAccessTokenFor(caller.userId) : caller.token);

export function createCredentialStore(opts: CredentialOptions = {}): CredentialStore {
  const tokens = new TokenCache();
  const linkToken = opts.linkToken ?? getAccessToken;

  async function linked(backend: RuntimeBackend, auth: { providerId: string; providerName: string }, caller: Caller): Promise<Credential> {
    try {
      const link = await linkToken({ userId: caller.userId, providerId: auth.providerId });
      return { headers: bearer(link.accessToken), identity: `user:${caller.userId}:link:${link.linkId}` };
    } catch (e) {
      if (isAppError(e)) throw e;
      throw new AppError("upstream", `Backend "${backend.displayName}": the ${auth.providerName} token could not be read (${(e as Error).message}).`);
    }
  }

  async function issue(backend: RuntimeBackend, what: string, request: () => ReturnType<typeof requestAccessToken>) {
    try {
      return await request();
    } catch (e) {
      throw new AppError("upstream", `Backend "${backend.displayName}": ${what} failed: ${(e as Error).message}`);
    }
  }

  return {
    forBackend(backend, caller) {
      const auth = backend.auth;
      if (!auth) return Promise.reject(new AppError("upstream", `Backend "${backend.displayName}" is misconfigured: ${backend.problem ?? "no outgoing auth"}.`));
      switch (auth.mode) {
        case "none":
          return NO_CREDENTIAL;
        case "static_header":
          return { headers: { [auth.headerName]: auth.value }, identity: SERVICE };
        case "client_credentials": {
          const token = tokens.get(`${backend.id}:${backend.version}:`, () =>
            issue(backend, "the client credentials grant", () => requestAccessToken({ ...auth, timeoutMs: backend.timeoutMs, fetch: opts.fetch })),
          );
          return withToken(token, SERVICE);
        }
        case "token_exchange": {
          const token = tokens.get(`${backend.id}:${backend.version}:${caller.userId}`, () =>
            issue(backend, "the token exchange", async () =>
              requestAccessToken({ ...auth, subjectToken: await subjectTokenOf(caller), timeoutMs: backend.timeoutMs, fetch: opts.fetch }),
            ),
          );
          return withToken(token, `user:${caller.userId}:exchange`);
        }
        case "linked_account":
          return linked(backend, auth, caller);
      }
    },
    dropBackend: (backendId) => tokens.drop(`${backendId}:`),
  };
}
