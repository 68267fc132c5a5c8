// The one way to the credential a backend gets: real calls, tool lists and the console's Test
// connection all come here, and this dispatches to the backend's outgoing auth mode (one file per
// mode, listed in modes.ts). The store holds what the modes cache (issued tokens).
import type { Credential, CredentialSubject, ModeDeps } from "@/gateway/credentials/credential";
import { modeOf, OUTGOING_MODES } from "@/gateway/credentials/modes";
import { TokenCache } from "@/gateway/credentials/token-cache";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { onChange } from "@/lib/events";
import { accessTokenFor } from "@/lib/links/get-access-token";
import { headerSecrets } from "@/lib/scrub-secrets";
import { singleton } from "@/lib/singleton";

export type { Credential, CredentialSubject } from "@/gateway/credentials/credential";

export interface CredentialStore {
  /**
   * Rejects with AppError("link_required") for a linked-account backend without a usable link. A
   * credential at hand (cached token, static header) is returned synchronously: no promise per call.
   */
  forBackend(backend: RuntimeBackend, subject: CredentialSubject): Credential | Promise<Credential>;
  /** Forgets cached tokens of one backend (its secret or configuration changed). */
  dropBackend(backendId: string): void;
  /** Forgets every cached token (this replica may have missed changes). */
  dropAll?(): void;
}

export interface CredentialOptions {
  fetch?: typeof fetch;
  linkToken?: typeof accessTokenFor;
  /** Issued tokens kept (GATEWAY_CREDENTIAL_CACHE_SIZE in the app). */
  cacheSize?: number;
}

export function createCredentialStore(opts: CredentialOptions = {}): CredentialStore {
  const deps: ModeDeps = { tokens: new TokenCache(opts.cacheSize), fetch: opts.fetch, linkToken: opts.linkToken ?? accessTokenFor };
  return {
    forBackend(backend, subject) {
      const auth = backend.auth;
      if (!auth)
        return Promise.reject(
          new AppError("upstream", `Backend "${backend.displayName}" is misconfigured: ${backend.problem ?? "no outgoing auth"}.`),
        );
      return modeOf(auth).credential(backend, auth, subject, deps);
    },
    dropBackend(backendId) {
      for (const mode of Object.values(OUTGOING_MODES)) mode.invalidate(backendId, deps);
    },
    dropAll() {
      deps.tokens.drop("");
    },
  };
}

/** The process's store, shared by the process's gateway and Test connection. */
export function getCredentialStore(): CredentialStore {
  return singleton("gateway.credentials", () => {
    const store = createCredentialStore({ cacheSize: env().GATEWAY_CREDENTIAL_CACHE_SIZE });
    onChange((event) => {
      if (event.kind === "backend") store.dropBackend(event.id);
      if (event.kind === "all") store.dropAll?.();
    });
    return store;
  });
}

/** What to scrub from upstream text about this backend: its configured secrets, the credential sent, the subject's token. */
export function secretsInPlay(backend: RuntimeBackend, credential?: Credential, subject?: CredentialSubject): string[] {
  const configured = backend.auth ? modeOf(backend.auth).secrets(backend.auth) : [];
  return [...configured, ...(credential ? headerSecrets(credential.headers) : []), ...(subject?.token ? [subject.token] : [])];
}
