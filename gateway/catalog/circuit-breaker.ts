// Per backend: after a list that did not answer in time, the backend is skipped (its last good list
// served instead) for an interval that doubles with each further failure, up to MAX_OPEN_MS; one
// answer in time closes it again. One per process: the gateway's lists share it.
import { singleton } from "@/lib/singleton";

const FIRST_OPEN_MS = 5_000;
const MAX_OPEN_MS = 5 * 60_000;

interface Breaker {
  failures: number;
  openUntil: number;
}

const breakers = singleton(
  "gateway.listBreakers",
  () => new Map<string, Breaker>(),
  (m) => m.clear(),
);

/** True while the backend's lists are not to be waited for. */
export function isOpen(backendId: string, now = Date.now()): boolean {
  const b = breakers.get(backendId);
  return b !== undefined && b.openUntil > now;
}

/** A list that timed out or failed: open for a growing interval. Returns how long. */
export function recordListFailure(backendId: string, now = Date.now()): number {
  const b = breakers.get(backendId) ?? { failures: 0, openUntil: 0 };
  b.failures++;
  const openMs = Math.min(FIRST_OPEN_MS * 2 ** (b.failures - 1), MAX_OPEN_MS);
  b.openUntil = now + openMs;
  breakers.set(backendId, b);
  return openMs;
}

export function recordListSuccess(backendId: string): void {
  breakers.delete(backendId);
}
