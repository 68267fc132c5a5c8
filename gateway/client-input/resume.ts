// A 2026-07-28 client's retry of a call that asked it for input: the sealed requestState is opened
// and every binding checked (user and endpoint, backend, the same request, not expired), then the
// input goes to the replica that holds the call (any replica, this one included) and the retry's
// reply carries what the call says next. Every refusal is invalid params, and nothing goes upstream.
import type { ParkedCalls } from "@/gateway/client-input/parked-calls";
import { openRequestState, requestHash } from "@/gateway/client-input/sealed-request-state";
import { rpcError } from "@/gateway/replies/replies";
import type { GatewayReply } from "@/gateway/types";
import type { ForwardedCall } from "@/gateway/upstream/call-stream";
import { RPC } from "@/lib/json-rpc-errors";

const SSE_REPLY_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-store" };

export const isRetry = (call: ForwardedCall) =>
  call.message.params?.requestState !== undefined || call.message.params?.inputResponses !== undefined;

export async function resumeCall(parked: ParkedCalls, owner: string, call: ForwardedCall): Promise<GatewayReply> {
  const { message } = call;
  const refuse = (why: string) => rpcError(message.id, RPC.invalidParams, why);
  const params = message.params ?? {};
  if (params.requestState === undefined) return refuse("inputResponses came without the requestState Gatehouse gave with them.");
  const state = openRequestState({ owner, slug: call.slug }, params.requestState);
  if ("problem" in state) return refuse(state.problem);
  if (state.backend !== call.backend || state.request !== requestHash(message))
    return refuse(`requestState was given for another request: repeat the same ${message.method} (name and arguments) it was given for.`);
  const responses = params.inputResponses;
  if (typeof responses !== "object" || responses === null || Array.isArray(responses))
    return refuse("inputResponses must be an object with an answer under each key of inputRequests.");
  const resumed = await parked.resume({
    holder: state.holder,
    round: state.round,
    owner,
    requestId: message.id,
    responses: responses as Record<string, unknown>,
  });
  if ("refused" in resumed) return refuse(resumed.refused);
  return { status: 200, headers: { ...SSE_REPLY_HEADERS }, body: resumed.stream };
}
