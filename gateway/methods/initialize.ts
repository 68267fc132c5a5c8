// initialize (handshake era): the gateway answers it itself, advertising what the reachable backends
// offer, and issues the signed session id that carries the client's declared capabilities to every
// later request, on any replica.
import { InitializeRequestSchema, LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import type { RequestContext } from "@/gateway/context";
import { issueSessionId } from "@/gateway/http/session-id";
import { resourceUrl } from "@/gateway/inbound/protected-resource";
import { instructions, serverCapabilities, serverInfo } from "@/gateway/methods/server-capabilities";
import { rpcError, rpcResult } from "@/gateway/replies/replies";
import type { GatewayReply, JsonRpcRequest } from "@/gateway/types";
import { RPC } from "@/lib/json-rpc-errors";

export async function initializeReply(
  ctx: RequestContext,
  message: JsonRpcRequest,
  scope: { displayName?: string },
): Promise<GatewayReply> {
  const parsed = InitializeRequestSchema.safeParse(message);
  if (!parsed.success)
    return rpcError(message.id, RPC.invalidParams, "Invalid initialize request: it needs protocolVersion, capabilities and clientInfo.");
  const { protocolVersion: requested, capabilities } = parsed.data.params;
  const protocolVersion = SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
  const elicitationUrl = typeof capabilities.elicitation?.url === "object";
  const sessionId = issueSessionId(ctx.caller, resourceUrl(ctx.slug), {
    protocolVersion,
    elicitationUrl,
    capabilities,
    issuedAt: Date.now(),
  });
  const result = {
    protocolVersion,
    capabilities: await serverCapabilities(ctx),
    serverInfo: serverInfo(ctx.slug, scope.displayName),
    instructions: instructions(ctx.slug, scope.displayName),
  };
  return rpcResult(message.id, result, { "mcp-session-id": sessionId });
}
