// A backend's list changed (notifications/*/list_changed on any replica's upstream session or call
// stream): every replica hears it through the bus and tells the clients listening there (GET
// /api/mcp) that may see that backend.
import { z } from "zod";
import type { Bus } from "@/lib/bus/bus";
import { log } from "@/lib/log";

const CHANNEL = "gateway.list-changed";
const changeSchema = z.object({ backendId: z.string().max(200) });

export class ListChanges {
  private readonly listeners = new Set<(backendId: string) => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly bus: Bus) {
    this.unsubscribe = bus.subscribe(CHANNEL, (message) => {
      const parsed = changeSchema.safeParse(message);
      if (parsed.success) for (const listener of this.listeners) listener(parsed.data.backendId);
    });
  }

  announce(backendId: string): void {
    this.bus
      .publish(CHANNEL, { backendId })
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, "could not announce a list change"));
  }

  /** Returns the function that stops listening. */
  listen(listener: (backendId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }
}
