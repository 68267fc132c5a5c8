// Building replies: plain JSON, JSON-RPC results and errors, and the 401 that points MCP clients to
// the Protected Resource Metadata (RFC 9728) so they can discover where to get a token.
import { resourceMetadataUrl } from "@/gateway/inbound/protected-resource";
import type { GatewayReply, JsonRpcId } from "@/gateway/types";
import { RPC } from "@/lib/json-rpc-errors";

const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" };

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): GatewayReply {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function rpcResult(id: JsonRpcId, result: unknown, headers: Record<string, string> = {}): GatewayReply {
  return jsonReply(200, { jsonrpc: "2.0", id, result }, headers);
}

/**
 * A JSON-RPC result one member of which is already serialized (a cached merged list): `result` holds
 * `SERIALIZED` where `serialized` goes. The client's id is written apart, so it cannot hold the mark.
 */
export function rpcResultWith(id: JsonRpcId, result: Record<string, unknown>, serialized: string): GatewayReply {
  const resultJson = JSON.stringify(result).replace(SERIALIZED_JSON, () => serialized);
  return { status: 200, headers: { ...JSON_HEADERS }, body: `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}` };
}

export const SERIALIZED = "\u0000gatehouse:serialized\u0000";
const SERIALIZED_JSON = JSON.stringify(SERIALIZED);

export function rpcError(id: JsonRpcId, code: number, message: string, data?: unknown, status = 200): GatewayReply {
  return jsonReply(status, { jsonrpc: "2.0", id, error: data === undefined ? { code, message } : { code, message, data } });
}

export function unauthorized(slug: string | undefined, problem?: { error: string; description: string }): GatewayReply {
  const params = [`resource_metadata="${resourceMetadataUrl(slug)}"`];
  if (problem) params.unshift(`error="${problem.error}"`, `error_description="${problem.description.replace(/["\\]/g, "'")}"`);
  const body = problem
    ? { error: problem.error, error_description: problem.description }
    : { error: "unauthorized", error_description: "Send a Keycloak access token as `Authorization: Bearer`." };
  return jsonReply(401, body, { "www-authenticate": `Bearer ${params.join(", ")}` });
}

export function methodNotAllowed(): GatewayReply {
  // Stateless: there is no standalone SSE stream (GET) and no session to delete (DELETE).
  return jsonReply(
    405,
    { jsonrpc: "2.0", id: null, error: { code: RPC.serverError, message: "Method not allowed: this endpoint takes POST only." } },
    { allow: "POST" },
  );
}

export const accepted = (): GatewayReply => ({ status: 202, headers: {} });
