// In-process change notifications, so caches (the gateway's backend list, credentials, upstream
// pool) drop what an edit made stale the moment it commits. Other replicas catch up by TTL.
import { singleton } from "@/lib/singleton";

export type ChangeEvent =
  { kind: "backend"; id: string } | { kind: "provider"; id: string } | { kind: "link"; userId: string; providerId: string };

type Listener = (event: ChangeEvent) => void;

const listeners = singleton("events.listeners", () => new Set<Listener>());

/** Call after the change has committed. */
export function emitChange(event: ChangeEvent): void {
  for (const listener of listeners) listener(event);
}

/** Returns an unsubscribe function. */
export function onChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
