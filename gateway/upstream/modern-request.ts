// A request to a 2026-07-28 backend: no session; the version and the calling client's capabilities
// (those the gateway can translate) ride in `_meta` and the MCP-Protocol-Version header, and the
// routing headers name the method and the tool, prompt or resource, so a proxy in front of the
// backend need not read the body.
import type { JsonRpcRequest } from "@/gateway/types";
import { MODERN_VERSION } from "@/gateway/upstream/upstream-client";

export const PROTOCOL_VERSION_META = "io.modelcontextprotocol/protocolVersion";
export const CLIENT_CAPABILITIES_META = "io.modelcontextprotocol/clientCapabilities";
export const CLIENT_INFO_META = "io.modelcontextprotocol/clientInfo";
const CLIENT_INFO = { name: "gatehouse", version: "0.1.0" };

/** The body as the backend gets it: the forwarded request with the per-request envelope in `_meta`. */
export function modernBody(body: string, capabilities: Record<string, unknown>, extra?: Record<string, unknown>): string {
  const request = JSON.parse(body) as JsonRpcRequest;
  const params = { ...request.params, ...extra };
  const meta = typeof params._meta === "object" && params._meta !== null ? (params._meta as Record<string, unknown>) : {};
  params._meta = {
    ...meta,
    [PROTOCOL_VERSION_META]: MODERN_VERSION,
    [CLIENT_CAPABILITIES_META]: capabilities,
    [CLIENT_INFO_META]: CLIENT_INFO,
  };
  return JSON.stringify({ ...request, params });
}

/** Mcp-Method and Mcp-Name (a header value carries no line breaks and stays short). */
export function routingHeaders(message: JsonRpcRequest, name: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { "mcp-method": message.method };
  if (name && name.length <= 512 && /^[\x20-\x7e]*$/.test(name)) headers["mcp-name"] = name;
  return headers;
}
