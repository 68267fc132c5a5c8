// The requestState Gatehouse gives a 2026-07-28 client with an `input_required` result: sealed
// (AES-GCM under the keyring, like list cursors) and bound to the user and the endpoint (the
// associated data), and inside it to the backend, the request it answers (a hash of its params without
// the retry's own fields), the replica holding the call, a single-use round id and a short expiry.
// The client only echoes it; a forged, altered, oversized, expired or another user's state is refused.
import { createHash } from "node:crypto";
import { z } from "zod";
import { resourceUrl } from "@/gateway/inbound/protected-resource";
import type { JsonRpcRequest } from "@/gateway/types";
import { decrypt, encrypt } from "@/lib/crypto/keyring";

/** Longer than any state Gatehouse seals: refused before any decryption is tried. */
export const MAX_SEALED_STATE_CHARS = 2048;
/** What a retry adds to the request it repeats (never part of what the state is bound to). */
const RETRY_FIELDS = new Set(["inputResponses", "requestState", "_meta"]);

const contentSchema = z.object({
  /** The replica holding the call. */
  h: z.string().max(100),
  /** The round: single use, the holder forgets it once answered. */
  r: z.string().max(100),
  /** The backend's slug. */
  b: z.string().max(100),
  /** The request's hash. */
  q: z.string().max(100),
  /** Expiry, epoch ms. */
  x: z.number().int(),
});
export type SealedContent = { holder: string; round: string; backend: string; request: string; expiresAt: number };

export interface StateBinding {
  owner: string;
  slug?: string;
}

const aadOf = (b: StateBinding) => ({ table: "mcp-request-state", id: b.owner, field: resourceUrl(b.slug) });

export function sealRequestState(binding: StateBinding, c: SealedContent): string {
  return encrypt(JSON.stringify({ h: c.holder, r: c.round, b: c.backend, q: c.request, x: c.expiresAt }), aadOf(binding));
}

/** The state's content, or why it is refused (every reason a clear message for the client). */
export function openRequestState(binding: StateBinding, state: unknown, now = Date.now()): SealedContent | { problem: string } {
  if (typeof state !== "string") return { problem: "requestState must be the string Gatehouse gave with input_required." };
  if (state.length > MAX_SEALED_STATE_CHARS)
    return { problem: `requestState is longer than ${MAX_SEALED_STATE_CHARS} characters: it is not one Gatehouse issued.` };
  let parsed;
  try {
    parsed = contentSchema.safeParse(JSON.parse(decrypt(state, aadOf(binding))));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success)
    return {
      problem:
        "requestState is not one Gatehouse issued to you at this endpoint (altered, forged or another user's): call again without it.",
    };
  const c = parsed.data;
  if (c.x <= now) return { problem: "requestState expired: call again without it to start over." };
  return { holder: c.h, round: c.r, backend: c.b, request: c.q, expiresAt: c.x };
}

/** The request a state answers: method and params, without what a retry adds; key order does not matter. */
export function requestHash(message: Pick<JsonRpcRequest, "method" | "params">): string {
  const params = Object.fromEntries(Object.entries(message.params ?? {}).filter(([k]) => !RETRY_FIELDS.has(k)));
  return createHash("sha256")
    .update(canonical({ method: message.method, params }))
    .digest("base64url");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}
