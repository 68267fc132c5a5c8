// Dynamic registration is open to anonymous clients (MCP clients register themselves), so it is
// limited per client address: OAUTH_REGISTRATIONS_PER_MINUTE (default 10) in a fixed one-minute
// window, counted per replica. The address is the TCP peer's: behind a proxy that is the proxy, so
// the limit then applies to all clients together unless the proxy rate-limits per client itself.
import type { IncomingMessage } from "node:http";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";

const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

type Windows = Map<string, { startedAt: number; count: number }>;

/** Counts this registration; answers how many seconds to wait when over the limit, else 0. */
export function registrationRetryAfter(req: IncomingMessage, now = Date.now()): number {
  const windows = singleton<Windows>("oauth.registrationLimiter", () => new Map());
  const address = req.socket.remoteAddress ?? "unknown";
  let w = windows.get(address);
  if (!w || now - w.startedAt >= WINDOW_MS) {
    if (windows.size >= MAX_TRACKED) for (const [k, v] of windows) if (now - v.startedAt >= WINDOW_MS) windows.delete(k);
    w = { startedAt: now, count: 0 };
    windows.set(address, w);
  }
  w.count += 1;
  return w.count > env().OAUTH_REGISTRATIONS_PER_MINUTE ? Math.ceil((w.startedAt + WINDOW_MS - now) / 1000) : 0;
}
