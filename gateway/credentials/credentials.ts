// The credential a backend gets, by its outgoing auth mode, and the "credential identity" that keys
// the upstream session and tool-list caches (who the backend will take the caller to be). The
// caller's inbound token is only ever the subject of a token exchange: it is never a credential.
import { getAccessToken } from "../../lib/links/get-access-token";
import { AppError, isAppError } from "../../lib/errors";
import type { RuntimeBackend } from "../../lib/backends/runtime";
import type { Caller } from "../types";
import { TokenCache } from "./token-cache";
import { requestAccessToken } from "../../lib/backends/request-access-token";

export interface Credential {
  headers: Record<string, string>;
  /**
   * Who the backend takes the caller to be: "service" (none, static header, client credentials),
   * `user:<userId>:exchange` (token exchange) or `user:<userId>:link:<linkId>` (linked account).
   */
  identity: string;
}

export interface CredentialStore {
  /** Throws AppError("link_required") for a linked-account backend without a usable link. */
  forBackend(backend: RuntimeBackend, caller: Caller): Promise<Credential>;
  /** Forgets cached tokens of one backend (its secret or configuration changed). */
  dropBackend(backendId: string): void;
}

export interface CredentialOptions {
  fetch?: typeof fetch;
  linkToken?: typeof getAccessToken;
}

const SERVICE = "service";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function createCredentialStore(opts: CredentialOptions = {}): CredentialStore {
  const tokens = new TokenCache();
  const linkToken = opts.linkToken ?? getAccessToken;

  async function issue(backend: RuntimeBackend, what: string, request: () => ReturnType<typeof requestAccessToken>) {
    try {
      return await request();
    } catch (e) {
      throw new AppError("upstream", `Backend "${backend.displayName}": ${what} failed: ${(e as Error).message}`);
    }
  }

  return {
    async forBackend(backend, caller) {
      const auth = backend.auth;
      if (!auth) throw new AppError("upstream", `Backend "${backend.displayName}" is misconfigured: ${backend.problem ?? "no outgoing auth"}.`);
      switch (auth.mode) {
        case "none":
          return { headers: {}, identity: SERVICE };
        case "static_header":
          return { headers: { [auth.headerName]: auth.value }, identity: SERVICE };
        case "client_credentials": {
          const token = await tokens.get(`${backend.id}:${backend.version}:`, () =>
            issue(backend, "the client credentials grant", () => requestAccessToken({ ...auth, timeoutMs: backend.timeoutMs, fetch: opts.fetch })),
          );
          return { headers: bearer(token), identity: SERVICE };
        }
        case "token_exchange": {
          const token = await tokens.get(`${backend.id}:${backend.version}:${caller.userId}`, () =>
            issue(backend, "the token exchange", () =>
              requestAccessToken({ ...auth, subjectToken: caller.token, timeoutMs: backend.timeoutMs, fetch: opts.fetch }),
            ),
          );
          return { headers: bearer(token), identity: `user:${caller.userId}:exchange` };
        }
        case "linked_account": {
          try {
            const link = await linkToken({ userId: caller.userId, providerId: auth.providerId });
            return { headers: bearer(link.accessToken), identity: `user:${caller.userId}:link:${link.linkId}` };
          } catch (e) {
            if (isAppError(e)) throw e;
            throw new AppError("upstream", `Backend "${backend.displayName}": the ${auth.providerName} token could not be read (${(e as Error).message}).`);
          }
        }
      }
    },
    dropBackend: (backendId) => tokens.drop(`${backendId}:`),
  };
}
