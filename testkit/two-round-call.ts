// A 2026-07-28 backend's tool that asks its client twice (two input_required rounds, each with its
// own requestState) before it answers with both answers: for the world backend's `answerCall`, to
// test that the gateway carries every round and the final answer to wherever the client retried.
const elicit = (message: string) => ({
  method: "elicitation/create",
  params: { message, requestedSchema: { type: "object", properties: { name: { type: "string" } } } },
});

/** Answers a `tools/call` of `echo` with text "twice"; undefined for any other call. */
export function twoRoundCall({ id, params }: { id: unknown; params: Record<string, unknown> }): unknown {
  if ((params.arguments as { text?: unknown } | undefined)?.text !== "twice") return undefined;
  const result = (r: Record<string, unknown>) => ({ jsonrpc: "2.0", id, result: r });
  if (params.requestState === undefined)
    return result({ resultType: "input_required", inputRequests: { first: elicit("First?") }, requestState: "round-1" });
  if (params.requestState === "round-1")
    return result({ resultType: "input_required", inputRequests: { second: elicit("Second?") }, requestState: "round-2" });
  return result({ resultType: "complete", content: [{ type: "text", text: JSON.stringify(params.inputResponses) }] });
}
