// How the gateway asks the calling client for input in the middle of a forwarded call (a backend's
// elicitation, sampling or roots request), whatever era the client and the backend speak.
export interface ClientInputRequest {
  id: string;
  method: string;
  params: Record<string, unknown>;
}
export interface ClientInputChannel {
  era: "2025-11-25" | "2026-07-28";
  protocolVersion: string;
  capabilities: Record<string, unknown>; // the client's declared capabilities
  /** Resolves with the client's result per request id; rejects when the client declines, cancels or times out. */
  ask(requests: ClientInputRequest[]): Promise<Record<string, unknown>>;
}
