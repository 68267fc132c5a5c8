// initialize: the gateway answers it itself (no backend is involved) and issues the signed session
// id that carries the client's declared capabilities to every later request, on any replica.
import { InitializeRequestSchema, LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { issueSessionId } from "@/gateway/http/session-id";
import { resourceUrl } from "@/gateway/inbound/protected-resource";
import { rpcError, rpcResult } from "@/gateway/replies/replies";
import type { GatewayReply, JsonRpcRequest, McpCaller } from "@/gateway/types";
import { RPC } from "@/lib/json-rpc-errors";

const VERSION = "0.1.0";

export function initializeReply(caller: McpCaller, message: JsonRpcRequest, scope: { slug?: string; displayName?: string }): GatewayReply {
  const parsed = InitializeRequestSchema.safeParse(message);
  if (!parsed.success)
    return rpcError(message.id, RPC.invalidParams, "Invalid initialize request: it needs protocolVersion, capabilities and clientInfo.");
  const { protocolVersion: requested, capabilities } = parsed.data.params;
  const protocolVersion = SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
  const elicitationUrl = typeof capabilities.elicitation?.url === "object";
  const sessionId = issueSessionId(caller, resourceUrl(scope.slug), { protocolVersion, elicitationUrl, issuedAt: Date.now() });
  const result = {
    protocolVersion,
    capabilities: { tools: { listChanged: false }, prompts: { listChanged: false }, resources: { listChanged: false } },
    serverInfo: scope.slug
      ? { name: `gatehouse-${scope.slug}`, title: `${scope.displayName ?? scope.slug} via Gatehouse`, version: VERSION }
      : { name: "gatehouse", title: "Gatehouse", version: VERSION },
    instructions: scope.slug
      ? `The tools of ${scope.displayName ?? scope.slug}, called with your own identity.`
      : "Tools of every backend you may use, named <backend>_<tool>. A tool that needs a linked account asks you to link it first.",
  };
  return rpcResult(message.id, result, { "mcp-session-id": sessionId });
}
