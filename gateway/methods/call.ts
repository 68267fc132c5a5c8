// tools/call, prompts/get, resources/read: find the backend by name (or resource URI), get its
// credential, forward, and audit the outcome once the response has streamed through.
import { isNameAllowed, routeName } from "@/gateway/catalog/naming";
import type { RequestContext } from "@/gateway/context";
import { findResourceOwner } from "@/gateway/methods/resource-owner";
import { auditCall } from "@/gateway/replies/audit-call";
import { linkRequiredReply } from "@/gateway/replies/link-required";
import { rpcError } from "@/gateway/replies/replies";
import type { GatewayReply, JsonRpcRequest } from "@/gateway/types";
import { forwardCall } from "@/gateway/upstream/forward-call";
import { forwardViaClient } from "@/gateway/upstream/forward-via-client";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { isAppError } from "@/lib/errors";
import { jsonRpcCodeOf, RPC } from "@/lib/json-rpc-errors";
import { isSignInEnded } from "@/lib/oauth-server/sign-in-ended";

export const CALL_METHODS = new Set(["tools/call", "prompts/get", "resources/read"]);

type Target = { backend: RuntimeBackend; name: string; body: string };

export async function callReply(ctx: RequestContext, message: JsonRpcRequest): Promise<GatewayReply> {
  const startedAt = performance.now();
  const found = findTarget(ctx, message);
  const target = found instanceof Promise ? await found : found;
  if ("reply" in target) return target.reply;
  const { backend, name } = target;
  const audit = (outcome: { ok: boolean; error?: string }) =>
    auditCall({ caller: ctx.caller, backend, message, target: name, outcome, startedAt });
  if (backend.problem) {
    const text = `Backend "${backend.displayName}" (${backend.slug}) is misconfigured: ${backend.problem}. An admin can fix it in the console.`;
    audit({ ok: false, error: "misconfigured" });
    return rpcError(message.id, RPC.internalError, text, { backend: backend.slug });
  }

  let credential;
  try {
    // A credential at hand comes back synchronously: await only a promise (each await costs here).
    const pending = ctx.parts.credentials.forBackend(backend, ctx.caller);
    credential = pending instanceof Promise ? await pending : pending;
  } catch (e) {
    if (isAppError(e) && e.code === "link_required") {
      audit({ ok: false, error: "link_required" });
      return linkRequiredReply(message, backend, ctx.session, ctx.caller.userId);
    }
    if (isSignInEnded(e)) {
      audit({ ok: false, error: "sign_in_ended" });
      throw e; // answered 401 by handle-request.ts
    }
    const text = isAppError(e) ? e.message : `Backend "${backend.displayName}" (${backend.slug}): no credential could be had.`;
    audit({ ok: false, error: text.slice(0, 300) });
    return rpcError(message.id, isAppError(e) ? jsonRpcCodeOf(e) : RPC.internalError, text, { backend: backend.slug });
  }

  const forward = {
    backend,
    credential,
    caller: ctx.caller,
    message,
    body: target.body,
    onAbort: ctx.onAbort,
    onOutcome: audit,
    input: ctx.input,
  };
  try {
    return await (backend.transport === "sse" ? forwardViaClient(ctx.parts.forward, forward) : forwardCall(ctx.parts.forward, forward));
  } catch (e) {
    if (!isAppError(e) || e.code !== "link_required") throw e;
    audit({ ok: false, error: "link_rejected" });
    return linkRequiredReply(message, backend, ctx.session, ctx.caller.userId);
  }
}

type Found = Target | { reply: GatewayReply };

function findTarget(ctx: RequestContext, message: JsonRpcRequest): Found | Promise<Found> {
  const params = message.params ?? {};
  if (message.method === "resources/read") {
    const uri = params.uri;
    if (typeof uri !== "string") return { reply: rpcError(message.id, RPC.invalidParams, "resources/read needs a uri.") };
    const found = (backend: RuntimeBackend | undefined): Found =>
      backend
        ? { backend, name: uri, body: ctx.raw }
        : { reply: rpcError(message.id, RPC.resourceNotFound, `Resource not found: ${uri}`, { uri }) };
    return ctx.slug ? found(ctx.backends[0]) : findResourceOwner(ctx, uri).then(found);
  }
  const kind = message.method === "tools/call" ? "tools" : "prompts";
  const what = kind === "tools" ? "tool" : "prompt";
  if (typeof params.name !== "string")
    return { reply: rpcError(message.id, RPC.invalidParams, `${message.method} needs the ${what} name.`) };
  const routed = ctx.slug
    ? ctx.backends[0] && { backend: ctx.backends[0], name: params.name }
    : routeName(params.name, ctx.backends, kind, ctx.parts.catalogs.knownNames.bind(ctx.parts.catalogs));
  if (!routed || (kind === "tools" && !isNameAllowed(routed.backend, routed.name))) {
    return { reply: rpcError(message.id, RPC.invalidParams, `Unknown ${what}: ${params.name}`) };
  }
  // Only the name changes; at /api/mcp/<slug> nothing does and the body goes as it came.
  const body = routed.name === params.name ? ctx.raw : JSON.stringify({ ...message, params: { ...params, name: routed.name } });
  return { backend: routed.backend, name: routed.name, body };
}
