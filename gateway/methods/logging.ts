// logging/setLevel: fanned out to every reachable backend that offers logging, each over the
// caller's own upstream session, so its log notifications during later calls follow the level. A
// backend that fails is left out (logged); the client gets an empty result either way.
import { SetLevelRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { RequestContext } from "@/gateway/context";
import { stampFor } from "@/gateway/http/era";
import { loadCatalogs } from "@/gateway/methods/lists";
import { rpcError, rpcResult } from "@/gateway/replies/replies";
import type { GatewayReply, JsonRpcRequest } from "@/gateway/types";
import { RPC } from "@/lib/json-rpc-errors";
import { log } from "@/lib/log";

export async function setLevelReply(ctx: RequestContext, message: JsonRpcRequest): Promise<GatewayReply> {
  const parsed = SetLevelRequestSchema.safeParse(message);
  if (!parsed.success) return rpcError(message.id, RPC.invalidParams, "logging/setLevel needs a level (debug … emergency).");
  const { level } = parsed.data.params;
  const offering = (await loadCatalogs(ctx)).catalogs.filter(({ catalog }) => catalog.capabilities?.logging);
  await Promise.all(
    offering.map(async ({ backend }) => {
      try {
        const credential = await ctx.parts.credentials.forBackend(backend, ctx.caller);
        const session = await ctx.parts.pool.acquire(backend, credential);
        await session.client.setLoggingLevel(level, { timeout: backend.timeoutMs });
      } catch (e) {
        log.warn({ backend: backend.slug, err: (e as Error).message }, "logging/setLevel not passed on");
      }
    }),
  );
  return rpcResult(message.id, stampFor(ctx.era, "logging/setLevel", {}));
}
