// A backend's own request in the middle of a call (elicitation, sampling, roots, ping), seen on the
// call's stream: put to the calling client through its ClientInputChannel, whatever era the client
// speaks, and the client's answer (or a refusal) sent back to the backend as the JSON-RPC response.
// The one place a handshake-era backend's mid-call request is handled.
import type { ClientInputChannel } from "@/gateway/upstream/client-input";
import type { UpstreamSession } from "@/gateway/upstream/session-pool";
import { postUpstream } from "@/gateway/upstream/upstream-http";
import { RPC } from "@/lib/json-rpc-errors";
import { log } from "@/lib/log";

/** The client capability each request needs; a client without it is never asked. */
const NEEDS: Record<string, string> = {
  "elicitation/create": "elicitation",
  "sampling/createMessage": "sampling",
  "roots/list": "roots",
};

export function isBackendRequest(m: Record<string, unknown>): boolean {
  return typeof m.method === "string" && (typeof m.id === "string" || typeof m.id === "number");
}

export async function answerBackendRequest(
  session: UpstreamSession,
  headers: Record<string, string>,
  m: Record<string, unknown>,
  channel: ClientInputChannel | undefined,
): Promise<void> {
  const method = m.method as string;
  const id = m.id as string | number;
  let reply: { result?: unknown; error?: { code: number; message: string; data?: unknown } };
  if (method === "ping") reply = { result: {} };
  else if (!channel || !(method in NEEDS) || channel.capabilities[NEEDS[method]!] === undefined)
    reply = { error: { code: RPC.methodNotFound, message: `The client does not support ${method}.` } };
  else {
    try {
      const params = typeof m.params === "object" && m.params !== null ? (m.params as Record<string, unknown>) : {};
      const results = await channel.ask([{ id: String(id), method, params }]);
      reply = { result: results[String(id)] };
    } catch (e) {
      const given = (e as { error?: { code?: unknown; message?: unknown; data?: unknown } }).error;
      reply = {
        error:
          given && typeof given.code === "number" && typeof given.message === "string"
            ? { code: given.code, message: given.message, data: given.data }
            : { code: RPC.internalError, message: `The client gave no answer: ${(e as Error).message}` },
      };
    }
  }
  const body = JSON.stringify({ jsonrpc: "2.0", id, ...reply });
  await new Promise<void>((resolve) => {
    const req = postUpstream(
      session.backend.url,
      headers,
      body,
      (res) => {
        res.resume();
        resolve();
      },
      (e) => {
        log.warn({ backend: session.backend.slug, err: e.message }, "could not answer a backend's request");
        resolve();
      },
    );
    req.setTimeout(10_000, () => req.destroy());
  });
}
