// The process's requests in flight, and whether it is shutting down: readiness turns false first
// (so load balancers stop sending), then the listener closes, then shutdown waits for what is in
// flight up to SHUTDOWN_GRACE_SECONDS. On globalThis: server.ts and Next's bundle share it.
import { singleton } from "@/lib/singleton";

const state = singleton("health.draining", () => ({
  draining: false,
  inflight: 0,
  idle: new Set<() => void>(),
  streams: new Set<() => void>(),
  streamsEnded: false,
}));

export function isDraining(): boolean {
  return state.draining;
}

export function beginDraining(): void {
  state.draining = true;
}

export function inflightRequests(): number {
  return state.inflight;
}

/** Counts one request until `done` is called (once; later calls do nothing). */
export function trackRequest(): () => void {
  state.inflight++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    state.inflight--;
    if (state.inflight === 0) for (const wake of state.idle) wake();
  };
}

/** Resolves true when nothing is in flight, false when `ms` passed first. */
export function waitForIdle(ms: number): Promise<boolean> {
  if (state.inflight === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (idle: boolean) => {
      clearTimeout(timer);
      state.idle.delete(wake);
      resolve(idle);
    };
    const wake = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    state.idle.add(wake);
  });
}

/**
 * A long-lived stream that carries no call (a client's standalone GET stream) registers its end
 * here: shutdown ends these once the listener has closed, instead of waiting the whole grace
 * period for them; their clients reconnect through the load balancer to another replica.
 * One opened after that ends at once. Returns the unregistration.
 */
export function endOnShutdown(end: () => void): () => void {
  if (state.streamsEnded) {
    end();
    return () => undefined;
  }
  state.streams.add(end);
  return () => void state.streams.delete(end);
}

/** Ends every stream registered with endOnShutdown (and any registered later). */
export function endListeningStreams(): void {
  state.streamsEnded = true;
  for (const end of [...state.streams]) end();
  state.streams.clear();
}
