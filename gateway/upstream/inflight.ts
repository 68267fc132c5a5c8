// Calls being forwarded right now, by caller and JSON-RPC id, so a client's notifications/cancelled
// (which arrives in a POST of its own, on any replica) can reach the call it names: the replica that
// receives it publishes it on the bus and the one holding the call cancels it.
import { z } from "zod";
import type { JsonRpcId, McpCaller } from "@/gateway/types";
import type { Bus } from "@/lib/bus/bus";
import { log } from "@/lib/log";

const CHANNEL = "gateway.cancel";
const cancelSchema = z.object({ key: z.string().max(4000) });

export class InflightCalls {
  private readonly calls = new Map<string, () => void>();
  private bus?: Bus;

  /** Returns the function that removes the entry. */
  add(caller: McpCaller, id: JsonRpcId, cancel: () => void): () => void {
    const key = keyOf(caller, id);
    this.calls.set(key, cancel);
    return () => {
      if (this.calls.get(key) === cancel) this.calls.delete(key);
    };
  }

  /** Cancels the call here, or tells the other replicas to. */
  cancel(caller: McpCaller, id: unknown): boolean {
    if (typeof id !== "string" && typeof id !== "number") return false;
    const key = keyOf(caller, id);
    if (this.cancelHere(key)) return true;
    this.bus?.publish(CHANNEL, { key }).catch((e: unknown) => log.warn({ err: (e as Error).message }, "could not pass on a cancellation"));
    return false;
  }

  /** Takes cancellations published by other replicas; returns the unsubscribe function. */
  listen(bus: Bus): () => void {
    this.bus = bus;
    return bus.subscribe(CHANNEL, (message) => {
      const parsed = cancelSchema.safeParse(message);
      if (parsed.success) this.cancelHere(parsed.data.key);
    });
  }

  private cancelHere(key: string): boolean {
    const cancel = this.calls.get(key);
    cancel?.();
    return cancel !== undefined;
  }
}

const keyOf = (caller: McpCaller, id: JsonRpcId) => `${caller.issuer} ${caller.sub} ${typeof id} ${String(id)}`;
