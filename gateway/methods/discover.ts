// server/discover (2026-07-28): what an initialize told a handshake-era client, asked per request
// by a stateless one: the versions served, what the reachable backends offer, who the server is.
import type { RequestContext } from "@/gateway/context";
import { HANDSHAKE_VERSIONS, MODERN_VERSIONS, modernResult } from "@/gateway/http/era";
import { instructions, serverCapabilities, serverInfo } from "@/gateway/methods/server-capabilities";
import { rpcResult } from "@/gateway/replies/replies";
import type { GatewayReply, JsonRpcRequest } from "@/gateway/types";

export async function discoverReply(ctx: RequestContext, message: JsonRpcRequest, scope: { displayName?: string }): Promise<GatewayReply> {
  const result = {
    supportedVersions: [...MODERN_VERSIONS, ...HANDSHAKE_VERSIONS],
    capabilities: await serverCapabilities(ctx),
    instructions: instructions(ctx.slug, scope.displayName),
    _meta: { "io.modelcontextprotocol/serverInfo": serverInfo(ctx.slug, scope.displayName) },
  };
  return rpcResult(message.id, modernResult("server/discover", result));
}
