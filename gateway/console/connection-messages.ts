// What Test connection says: a status and a reason in Gatehouse's words, from the one failure
// describer (gateway/replies/upstream-errors.ts). Never the backend's own text.
import { STATUS_CODES } from "node:http";
import type { UpstreamFailure } from "@/gateway/replies/upstream-errors";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { isAppError } from "@/lib/errors";

export function connectionFailureMessage(f: UpstreamFailure, backend: RuntimeBackend, withCredential: boolean): string {
  switch (f.kind) {
    case "timeout":
      return `No answer from ${backend.url} within ${backend.timeoutMs} ms.`;
    case "refused":
    case "dns":
    case "closed":
      return `Could not connect to ${backend.url}: the backend ${f.reason}.`;
    case "http":
      return `${f.status === 401 || f.status === 403 ? "Refused" : "Failed"}: ${f.status} ${STATUS_CODES[f.status!] ?? ""} — ${httpMeaning(f.status!, withCredential)}.`;
    case "policy":
      return `Not connecting to ${backend.url}: ${f.detail}.`;
    case "other":
      return `Failed: the MCP connection to ${backend.url} failed${f.code ? ` (${f.code})` : ""}; check the URL and the transport.`;
  }
}

function httpMeaning(status: number, withCredential: boolean): string {
  if (status === 401 || status === 403)
    return withCredential ? "the backend rejected the credential" : "the backend requires a credential; check the outgoing auth mode";
  if (status === 404) return "nothing answers MCP at this URL";
  if (status >= 500) return "the backend failed or is unavailable";
  return "the backend refused the MCP request";
}

/** Why the admin cannot have this backend's credential, or undefined when `e` is a real failure. */
export function missingCredentialNote(backend: RuntimeBackend, e: unknown): string | undefined {
  if (!isAppError(e)) return undefined;
  const mode = backend.auth?.mode;
  if (mode === "token_exchange" && e.code === "unauthorized") {
    return "A token-exchange backend can only be tested with the admin's own token: call POST /api/admin/backends/{id}/test with your Keycloak access token as Bearer. Without it, only reachability was checked";
  }
  if (mode === "linked_account" && e.code === "link_required") {
    return `Link ${backend.auth?.mode === "linked_account" ? backend.auth.providerName : "the provider"} in your linked accounts to test this backend; only reachability was checked`;
  }
  return undefined;
}
