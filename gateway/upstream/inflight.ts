// Calls being forwarded right now, by caller and JSON-RPC id, so a client's notifications/cancelled
// (which arrives in a POST of its own) can reach the call it names. Only this replica's calls are
// known; a cancellation that lands on another replica is acknowledged and has no effect.
import type { JsonRpcId, McpCaller } from "@/gateway/types";

export class InflightCalls {
  private readonly calls = new Map<string, () => void>();

  /** Returns the function that removes the entry. */
  add(caller: McpCaller, id: JsonRpcId, cancel: () => void): () => void {
    const key = keyOf(caller, id);
    this.calls.set(key, cancel);
    return () => {
      if (this.calls.get(key) === cancel) this.calls.delete(key);
    };
  }

  cancel(caller: McpCaller, id: unknown): boolean {
    if (typeof id !== "string" && typeof id !== "number") return false;
    const cancel = this.calls.get(keyOf(caller, id));
    cancel?.();
    return cancel !== undefined;
  }
}

const keyOf = (caller: McpCaller, id: JsonRpcId) => `${caller.issuer} ${caller.sub} ${typeof id} ${String(id)}`;
