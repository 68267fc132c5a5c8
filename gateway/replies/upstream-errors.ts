// The one describer of backend failures: what kind of failure, the HTTP status when the backend
// answered with one, and a reason in words. The gateway says it as one sentence naming the backend
// (upstreamError); the console's Test connection as status and reason. Never a credential: text
// that came from upstream is scrubbed before it is cut.
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { AppError } from "@/lib/errors";
import { RPC } from "@/lib/json-rpc-errors";
import { isOutboundRefused } from "@/lib/net/outbound-policy";
import { secretFreeExcerpt } from "@/lib/scrub-secrets";

export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** "policy": the outbound URL policy refused the address; nothing was sent. */
export type FailureKind = "timeout" | "refused" | "dns" | "closed" | "http" | "policy" | "other";

export interface UpstreamFailure {
  kind: FailureKind;
  /** The backend's HTTP status (kind "http"). */
  status?: number;
  /** What happened, in words, after the backend's name: "refused the connection (is it running?)". */
  reason: string;
  /** kind "other": the error's own text (may echo upstream text: scrub it before showing it); kind "policy": why the address is refused. */
  detail?: string;
  /** kind "other": a system error code (CERT_HAS_EXPIRED, EHOSTUNREACH …), when there is one. */
  code?: string;
}

const MAX_DETAIL = 300;

export function describeUpstreamFailure(e: unknown, timeoutMs: number): UpstreamFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  const cause = (err as { cause?: { code?: string } }).cause;
  const code = systemCode(err) ?? httpStatus(err) ?? (err as { code?: unknown }).code;
  if (isOutboundRefused(err) || isOutboundRefused(cause)) {
    return { kind: "policy", reason: "is not called", detail: (isOutboundRefused(err) ? err : (cause as unknown as Error)).message };
  }
  if (err instanceof TimeoutError || err.name === "TimeoutError" || code === RPC.requestTimeout || code === "REQUEST_TIMEOUT")
    return { kind: "timeout", reason: `did not answer within ${timeoutMs} ms` };
  if (code === "ECONNREFUSED") return { kind: "refused", reason: "refused the connection (is it running?)" };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { kind: "dns", reason: "could not be found (DNS)" };
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") return { kind: "closed", reason: "closed the connection" };
  if (typeof code === "number" && code >= 400 && code < 600) return { kind: "http", status: code, reason: httpReason(code) };
  return { kind: "other", reason: "failed", detail: err.message, ...(typeof code === "string" ? { code } : {}) };
}

/** The failure as the gateway says it: `Backend "X" (x) <reason>.`, upstream text scrubbed of `secrets`. */
export function upstreamError(
  backend: Pick<RuntimeBackend, "displayName" | "slug" | "timeoutMs">,
  e: unknown,
  secrets: string[] = [],
): AppError {
  if (e instanceof AppError) return e;
  const f = describeUpstreamFailure(e, backend.timeoutMs);
  const detail = f.detail === undefined ? "" : `: ${secretFreeExcerpt(f.detail, secrets, MAX_DETAIL)}`;
  return new AppError("upstream", `Backend "${backend.displayName}" (${backend.slug}) ${f.reason}${detail}.`);
}

/** A system error code (ECONNREFUSED …) anywhere down the cause chain (the SDK v2 client wraps it). */
function systemCode(err: unknown): string | undefined {
  let at = (err as { cause?: unknown }).cause;
  for (let depth = 0; at && depth < 4; depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$|^UND_ERR/.test(code)) return code;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The HTTP status of an SDK v2 transport error (its data.status). */
function httpStatus(err: unknown): number | undefined {
  const status = (err as { data?: { status?: unknown } }).data?.status;
  return typeof status === "number" ? status : undefined;
}

export function httpReason(status: number): string {
  if (status === 401 || status === 403) return `refused Gatehouse's credential (HTTP ${status})`;
  if (status === 502 || status === 503 || status === 504) return `is unavailable (HTTP ${status})`;
  return `answered HTTP ${status}`;
}
