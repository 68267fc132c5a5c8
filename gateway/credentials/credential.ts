// What an outgoing auth mode is: how it gets (and refreshes, and forgets) the credential a backend
// receives. One file per mode next to this one; modes.ts lists them; credentials.ts is the one
// function real calls, lists and the console's Test connection all get credentials through.
import type { TokenCache } from "@/gateway/credentials/token-cache";
import type { RuntimeAuth, RuntimeBackend } from "@/lib/backends/runtime";
import type { accessTokenFor } from "@/lib/links/get-access-token";

export interface Credential {
  headers: Record<string, string>;
  /**
   * Who the backend takes the caller to be: "service" (none, static header, client credentials),
   * `user:<userId>:exchange` (token exchange) or `user:<userId>:link:<linkId>` (linked account).
   * Keys the upstream session and tool-list caches.
   */
  identity: string;
}

/**
 * Whom the credential is for. On a real call, the gateway's caller (`token` is their inbound Keycloak
 * access token); in Test connection, the admin (`token` only when they sent their own). The token is
 * only ever the subject of a token exchange: it is never a credential.
 */
export interface CredentialSubject {
  userId: string;
  token?: string;
  /**
   * "gatehouse" when the token came from Gatehouse's own authorization server: Keycloak cannot
   * exchange it, so a token exchange takes the user's kept Keycloak sign-in instead.
   */
  tokenKind?: "gatehouse";
}

export interface ModeDeps {
  /** Issued tokens (token exchange, client credentials), kept until shortly before they expire. */
  tokens: TokenCache;
  fetch?: typeof fetch;
  /** The token broker: a user's linked-account token, refreshed as needed (synchronously when cached). */
  linkToken: typeof accessTokenFor;
}

export type AuthOf<M extends RuntimeAuth["mode"]> = Extract<RuntimeAuth, { mode: M }>;

export interface OutgoingMode<M extends RuntimeAuth["mode"]> {
  /**
   * The credential, synchronously when it is at hand (no promise on the per-call path). Rejects with
   * AppError("link_required") when the subject has no usable link, AppError("unauthorized") when the
   * mode needs a subject token the subject did not bring.
   */
  credential(backend: RuntimeBackend, auth: AuthOf<M>, subject: CredentialSubject, deps: ModeDeps): Credential | Promise<Credential>;
  /** Forgets what is cached for one backend (its configuration or secret changed). */
  invalidate(backendId: string, deps: ModeDeps): void;
  /** The configured secrets, to scrub from any upstream text. */
  secrets(auth: AuthOf<M>): string[];
}

export const SERVICE_IDENTITY = "service";
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
