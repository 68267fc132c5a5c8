// The bus on embedded PGlite: one process is the only replica, so delivery is a queued callback.
import type { Bus } from "@/lib/bus/bus";
import { serializeBusMessage } from "@/lib/bus/message-limit";
import { Subscribers } from "@/lib/bus/subscribers";

export function createInProcessBus(): Bus {
  const subscribers = new Subscribers();
  return {
    async publish(channel, message) {
      // Serialize as the PostgreSQL bus does, so a message that works here works there.
      const copy: unknown = JSON.parse(serializeBusMessage(message));
      setImmediate(() => subscribers.deliver(channel, copy));
    },
    subscribe: (channel, handler) => subscribers.add(channel, handler),
    onResync: (handler) => subscribers.addResync(handler),
    status: () => ({ kind: "in-process", listening: true }),
    ready: async () => {},
    close: async () => {},
  };
}
