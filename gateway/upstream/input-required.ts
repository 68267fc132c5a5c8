// A 2026-07-28 backend's `input_required` result, read and checked before anything reaches the client:
// `inputRequests` (each an elicitation, sampling or roots request) and the opaque `requestState`
// the retry must echo byte for byte. A backend's state is attacker-shaped input to the gateway:
// malformed or oversized, it is refused with a clear error and nothing is forwarded.
import { z } from "zod";
import type { ClientInputRequest } from "@/gateway/upstream/client-input";

/** The largest requestState a backend may hand the gateway (the client's retry carries it back). */
export const MAX_REQUEST_STATE_BYTES = 64 * 1024;
const MAX_INPUT_REQUESTS = 16;
const METHODS = ["elicitation/create", "sampling/createMessage", "roots/list"] as const;

const inputRequestSchema = z.object({ method: z.enum(METHODS), params: z.record(z.string(), z.unknown()).optional() });
const inputRequiredSchema = z.object({
  resultType: z.literal("input_required"),
  inputRequests: z.record(z.string().max(200), inputRequestSchema).optional(),
  requestState: z.string().max(MAX_REQUEST_STATE_BYTES).optional(),
});

export interface InputRequired {
  requests: ClientInputRequest[];
  requestState?: string;
}

export type InputRequiredReading =
  { kind: "complete" } | { kind: "input_required"; value: InputRequired } | { kind: "refused"; why: string };

/** Reads the JSON-RPC response to request `id` (its whole text). */
export function readInputRequired(text: string, id: string | number): InputRequiredReading {
  let message: { id?: unknown; result?: { resultType?: unknown; requestState?: unknown } };
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    return { kind: "complete" };
  }
  if (!message || message.id !== id || message.result?.resultType !== "input_required") return { kind: "complete" };
  const state = message.result.requestState;
  if (typeof state === "string" && Buffer.byteLength(state) > MAX_REQUEST_STATE_BYTES)
    return { kind: "refused", why: `its requestState is larger than ${MAX_REQUEST_STATE_BYTES} bytes` };
  const parsed = inputRequiredSchema.safeParse(message.result);
  if (!parsed.success)
    return {
      kind: "refused",
      why: "its input_required result is malformed (requestState must be a string; inputRequests elicitation, sampling or roots requests)",
    };
  const entries = Object.entries(parsed.data.inputRequests ?? {});
  if (entries.length > MAX_INPUT_REQUESTS) return { kind: "refused", why: `it asks for more than ${MAX_INPUT_REQUESTS} inputs at once` };
  if (entries.length === 0 && parsed.data.requestState === undefined)
    return { kind: "refused", why: "its input_required result asks for nothing" };
  return {
    kind: "input_required",
    value: {
      requests: entries.map(([key, r]) => ({ id: key, method: r.method, params: r.params ?? {} })),
      requestState: parsed.data.requestState,
    },
  };
}
