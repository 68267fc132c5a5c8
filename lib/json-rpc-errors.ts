// The JSON-RPC error codes Gatehouse answers with or recognises (MCP uses JSON-RPC 2.0's own, plus
// a few of its own), and the one mapping from an AppError to a JSON-RPC code. Product code names
// these constants; a numeric JSON-RPC code anywhere else fails lib/json-rpc-errors.test.ts.
import type { AppError, ErrorCode } from "@/lib/errors";

export const RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** JSON-RPC's generic server error: the MCP SDK answers a wrong HTTP method with it. */
  serverError: -32000,
  /** The MCP SDK's "Session not found" (with HTTP 404), and its request timeout (same number). */
  sessionNotFound: -32001,
  requestTimeout: -32001,
  resourceNotFound: -32002,
  /** MCP's URLElicitationRequired: data.elicitations names the URL the user must open. */
  urlElicitationRequired: -32042,
} as const;

// What a client sent wrong is its error; anything that failed behind the gateway (a backend, a token
// endpoint, the database) is the server's.
const byCode: Record<ErrorCode, number> = {
  bad_request: RPC.invalidRequest,
  validation: RPC.invalidParams,
  unauthorized: RPC.internalError,
  forbidden: RPC.internalError,
  not_found: RPC.internalError,
  conflict: RPC.internalError,
  unsupported_media_type: RPC.invalidRequest,
  payload_too_large: RPC.invalidRequest,
  link_required: RPC.urlElicitationRequired,
  upstream: RPC.internalError,
  unavailable: RPC.internalError,
  internal: RPC.internalError,
};

export function jsonRpcCodeOf(e: AppError): number {
  return byCode[e.code];
}
