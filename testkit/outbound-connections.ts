// For tests that prove a request never left the process: counts the sockets the outbound agents
// (safeFetch and the gateway's per-call client) were asked to open.
import { vi } from "vitest";
import { outboundAgents } from "@/lib/net/safe-fetch";

type Connector = { createConnection: (...args: unknown[]) => unknown };

export function spyOnOutboundConnections(): { count(): number } {
  const agents = outboundAgents();
  const spies = [
    vi.spyOn(agents.http as unknown as Connector, "createConnection"),
    vi.spyOn(agents.https as unknown as Connector, "createConnection"),
  ];
  return { count: () => spies.reduce((n, s) => n + s.mock.calls.length, 0) };
}
