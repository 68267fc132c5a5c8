// The forwarder's side of a ClientInputChannel: a channel that must reach the client on the call's own
// reply (a handshake-era client reads a backend's request as an SSE event of the call it made) is
// handed that reply when the forwarder turns it into a stream, before the first ask().
import type { ClientSession, GatewayReply, JsonRpcRequest, McpCaller } from "@/gateway/types";
import type { ClientInputChannel } from "@/gateway/upstream/client-input";

export interface CallStream {
  /** Writes one JSON-RPC message to the client as an SSE event on the call's reply. */
  send(message: Record<string, unknown>): void;
}

/** The call a channel serves: the backend it goes to, the endpoint (slug) and the request as the client sent it. */
export interface ForwardedCall {
  backend: string;
  slug?: string;
  message: JsonRpcRequest;
}

export type StreamingClientInput = ClientInputChannel & {
  bindCallStream?(stream: CallStream): void;
  /**
   * Set on a channel that must see the call's whole reply (a 2026-07-28 client's, which ends at each
   * input_required and continues in the retry's reply): told the call before it is forwarded, it
   * returns what the forwarder's reply becomes.
   */
  forCall?(call: ForwardedCall): (reply: GatewayReply) => GatewayReply;
};

/** What the gateway declares upstream for this client: only the capabilities it can carry across. */
export const TRANSLATABLE_CAPABILITIES = ["elicitation", "sampling", "roots"] as const;

export function translatableCapabilities(input: ClientInputChannel | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!input) return out;
  for (const name of TRANSLATABLE_CAPABILITIES) {
    const value = input.capabilities[name];
    if (value && typeof value === "object") out[name] = value;
  }
  return out;
}

/**
 * Where the gateway gets each request's channel, and where a client's answer (a JSON-RPC response it
 * POSTs, with no method) goes. Given to createGateway; the channels for each client era come from the
 * client-facing side of the gateway.
 */
export interface ClientInputSource {
  channelFor(request: {
    caller: McpCaller;
    session?: ClientSession;
    /** The era the client speaks on this request. */
    era?: "2025-11-25" | "2026-07-28";
    header(name: string): string | undefined;
  }): StreamingClientInput | undefined;
  /** True when the message answered a question this replica is waiting on. */
  answer(caller: McpCaller, message: Record<string, unknown>): boolean;
  /**
   * A 2026-07-28 client's retry (with inputResponses and requestState): the reply of the call it
   * resumes, wherever that call is held, or a refusal; undefined for any other request.
   */
  resume?(request: { caller: McpCaller; era?: "2025-11-25" | "2026-07-28"; call: ForwardedCall }): Promise<GatewayReply> | undefined;
}
