// One refresh_token grant at the provider, with bounded retries for failures that are worth
// retrying (network, timeouts, 5xx, 429). An OAuth error answer is final and returned as such.
import * as oauth from "oauth4webapi";
import type { ProviderOAuth } from "@/lib/providers/get-provider-oauth";

export type RefreshOutcome =
  | { kind: "ok"; tokens: oauth.TokenEndpointResponse }
  | { kind: "rejected"; error: string; description?: string }
  | { kind: "unreachable"; message: string; attempts: number };

/** What a refresh needs of a provider: the linked accounts' providers, and Keycloak for the kept sign-ins. */
export type RefreshClient = Pick<ProviderOAuth, "as" | "client" | "clientAuth" | "http">;

export const REFRESH_ATTEMPTS = 3;
const BACKOFF_MS = 250;

export async function requestRefresh(
  p: RefreshClient,
  refreshToken: string,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<RefreshOutcome> {
  let message = "";
  for (let attempt = 1; attempt <= REFRESH_ATTEMPTS; attempt++) {
    try {
      const res = await oauth.refreshTokenGrantRequest(p.as, p.client, p.clientAuth, refreshToken, p.http());
      return { kind: "ok", tokens: await oauth.processRefreshTokenResponse(p.as, p.client, res) };
    } catch (e) {
      if (e instanceof oauth.ResponseBodyError && e.status < 500 && e.status !== 429) {
        return { kind: "rejected", error: e.error, description: e.error_description };
      }
      if (!isTransient(e)) return { kind: "rejected", error: "invalid_response", description: (e as Error).message };
      message = describe(e);
    }
    // 250 ms, 500 ms (+ jitter so replicas do not retry in step).
    if (attempt < REFRESH_ATTEMPTS) await sleep(BACKOFF_MS * 2 ** (attempt - 1) + Math.random() * 100);
  }
  return { kind: "unreachable", message, attempts: REFRESH_ATTEMPTS };
}

function isTransient(e: unknown): boolean {
  if (e instanceof oauth.ResponseBodyError) return true; // 5xx or 429 with an OAuth body
  // fetch: connection refused, reset, DNS. (oauth4webapi's own argument errors are TypeErrors with a `code`.)
  if (e instanceof TypeError && !("code" in e)) return true;
  if (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")) return true;
  // A 5xx/429 without an OAuth JSON body: oauth4webapi reports the Response as the cause.
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Response && (cause.status >= 500 || cause.status === 429);
}

function describe(e: unknown): string {
  if (e instanceof oauth.ResponseBodyError) return `HTTP ${e.status} ${e.error}`;
  if (e instanceof Error && e.name === "TimeoutError") return "no answer in time";
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Response) return `HTTP ${cause.status}`;
  return (cause instanceof Error ? cause.message : undefined) ?? (e as Error).message;
}
