// Backend failures as one sentence that names the backend and the reason, never a credential.
import { AppError } from "@/lib/errors";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { isOutboundRefused } from "@/lib/net/outbound-policy";

export class TimeoutError extends Error {
  override name = "TimeoutError";
}

export function upstreamError(backend: Pick<RuntimeBackend, "displayName" | "slug" | "timeoutMs">, e: unknown): AppError {
  if (e instanceof AppError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const cause = (err as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (err as { code?: unknown }).code;
  const name = `Backend "${backend.displayName}" (${backend.slug})`;
  let reason: string;
  if (isOutboundRefused(err) || isOutboundRefused(cause)) reason = `is not called: ${(isOutboundRefused(err) ? err : (cause as Error)).message}`;
  else if (err instanceof TimeoutError || err.name === "TimeoutError" || code === -32001) reason = `did not answer within ${backend.timeoutMs} ms`;
  else if (code === "ECONNREFUSED") reason = "refused the connection (is it running?)";
  else if (code === "ENOTFOUND" || code === "EAI_AGAIN") reason = "could not be found (DNS)";
  else if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") reason = "closed the connection";
  else if (typeof code === "number" && code >= 400 && code < 600) reason = httpReason(code);
  else reason = `failed: ${err.message.slice(0, 300)}`;
  return new AppError("upstream", `${name} ${reason}.`);
}

export function httpReason(status: number): string {
  if (status === 401 || status === 403) return `refused Gatehouse's credential (HTTP ${status})`;
  if (status === 502 || status === 503 || status === 504) return `is unavailable (HTTP ${status})`;
  return `answered HTTP ${status}`;
}
