// A linked-account backend called by a user without a usable link. A client that declared URL-mode
// elicitation gets error URLElicitationRequired with one URL elicitation; any other client gets a tool error (or,
// for prompts and resources, a JSON-RPC error) whose text gives the same URL. The URL opens the
// portal's link page for the provider: it carries no secret, and the page requires sign-in as the
// user, so only that user can complete the link.
import { randomUUID } from "node:crypto";
import { rpcError, rpcResult } from "@/gateway/replies/replies";
import type { ClientSession, GatewayReply, JsonRpcRequest } from "@/gateway/types";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { env } from "@/lib/env";
import { RPC } from "@/lib/json-rpc-errors";

/** `?user=` is the Gatehouse user id (no secret): the page refuses anyone signed in as someone else. */
export function linkUrl(providerSlug: string, userId?: string): string {
  const url = `${env().APP_URL}/links/${encodeURIComponent(providerSlug)}`;
  return userId ? `${url}?user=${encodeURIComponent(userId)}` : url;
}

export function linkRequiredReply(
  message: JsonRpcRequest,
  backend: RuntimeBackend,
  session: ClientSession | undefined,
  userId: string,
): GatewayReply {
  const auth = backend.auth;
  const provider =
    auth?.mode === "linked_account"
      ? { slug: auth.providerSlug, name: auth.providerName }
      : { slug: backend.slug, name: backend.displayName };
  const url = linkUrl(provider.slug, userId);
  const text = `${backend.displayName} acts as your own ${provider.name} account, which is not linked to Gatehouse yet (or needs to be linked again).`;
  if (session?.elicitationUrl) {
    const elicitation = { mode: "url", elicitationId: randomUUID(), url, message: `${text} Open the link to connect it, then try again.` };
    return rpcError(message.id, RPC.urlElicitationRequired, `Link your ${provider.name} account to use ${backend.displayName}.`, {
      elicitations: [elicitation],
    });
  }
  const instruction = `${text} Open ${url} in your browser, sign in, link ${provider.name}, then try again.`;
  if (message.method === "tools/call") return rpcResult(message.id, { isError: true, content: [{ type: "text", text: instruction }] });
  return rpcError(message.id, RPC.invalidRequest, instruction, { linkUrl: url });
}
