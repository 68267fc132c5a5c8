// Channel → handlers, shared by both bus kinds. A throwing handler is logged and does not stop the others.
import type { BusHandler } from "@/lib/bus/bus";
import { log } from "@/lib/log";

export class Subscribers {
  private readonly byChannel = new Map<string, Set<BusHandler>>();
  private readonly resync = new Set<() => void>();

  add(channel: string, handler: BusHandler): () => void {
    let set = this.byChannel.get(channel);
    if (!set) this.byChannel.set(channel, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.byChannel.get(channel) === set) this.byChannel.delete(channel);
    };
  }

  addResync(handler: () => void): () => void {
    this.resync.add(handler);
    return () => this.resync.delete(handler);
  }

  deliver(channel: string, message: unknown): void {
    for (const handler of this.byChannel.get(channel) ?? []) {
      try {
        handler(message);
      } catch (err) {
        log.error({ err, channel }, "a bus subscriber failed");
      }
    }
  }

  resynced(): void {
    for (const handler of this.resync) {
      try {
        handler();
      } catch (err) {
        log.error({ err }, "a bus resync handler failed");
      }
    }
  }
}
