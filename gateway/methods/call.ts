// tools/call, prompts/get, resources/read: find the backend by name (or resource URI), get its
// credential, forward, and audit the outcome once the response has streamed through.
import { isNameAllowed, routeName } from "@/gateway/catalog/naming";
import { prefixResultUris } from "@/gateway/catalog/resource-uris";
import type { RequestContext } from "@/gateway/context";
import { modernResult } from "@/gateway/http/era";
import { findResourceOwner, type ResourceOwner } from "@/gateway/methods/resource-owner";
import { auditCall } from "@/gateway/replies/audit-call";
import { linkRequiredReply } from "@/gateway/replies/link-required";
import { rpcError } from "@/gateway/replies/replies";
import type { GatewayReply, JsonRpcRequest } from "@/gateway/types";
import { forwardCall, type Forward } from "@/gateway/upstream/forward-call";
import { forwardViaClient } from "@/gateway/upstream/forward-via-client";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { clientError, isAppError } from "@/lib/errors";
import { jsonRpcCodeOf, RPC } from "@/lib/json-rpc-errors";
import { isSignInEnded } from "@/lib/oauth-server/sign-in-ended";
import { currentTraceId, inSpan, nameRequestSpan, tracingOn } from "@/lib/tracing/spans";

export const CALL_METHODS = new Set([
  "tools/call",
  "prompts/get",
  "resources/read",
  "completion/complete",
  "resources/subscribe",
  "resources/unsubscribe",
]);

type Target = { backend: RuntimeBackend; name: string; body: string; uriPrefix?: string };

export async function callReply(ctx: RequestContext, message: JsonRpcRequest): Promise<GatewayReply> {
  const startedAt = performance.now();
  const found = findTarget(ctx, message);
  const target = found instanceof Promise ? await found : found;
  if ("reply" in target) return target.reply;
  const { backend, name } = target;
  nameRequestSpan(message.method, backend.slug);
  // Read now: the outcome may be known in a stream's event, outside this request's context.
  const traceId = currentTraceId();
  const audit = (outcome: { ok: boolean; error?: string }) =>
    auditCall({ caller: ctx.caller, backend, message, target: name, outcome, startedAt, traceId });
  if (backend.problem) {
    const text = `Backend "${backend.displayName}" (${backend.slug}) is misconfigured: ${backend.problem}. An admin can fix it in the console.`;
    audit({ ok: false, error: "misconfigured" });
    return rpcError(message.id, RPC.internalError, text, { backend: backend.slug });
  }

  // A 2026-07-28 client's retry with the input the call asked for: that call answers, wherever it is held.
  const call = { backend: backend.slug, slug: ctx.slug, message };
  const resumed = ctx.parts.clientInput.resume?.({ caller: ctx.caller, era: ctx.era, call });
  if (resumed) return resumed;

  let credential;
  try {
    // A credential at hand comes back synchronously: await only a promise (each await costs here).
    const pending = tracingOn()
      ? inSpan(
          "gatehouse.credential",
          () => ({ "gatehouse.backend": backend.slug, "gatehouse.auth_mode": backend.auth?.mode ?? "none" }),
          () => ctx.parts.credentials.forBackend(backend, ctx.caller),
        )
      : ctx.parts.credentials.forBackend(backend, ctx.caller);
    credential = pending instanceof Promise ? await pending : pending;
  } catch (thrown) {
    const e = clientError(thrown);
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

  const forward: Forward = {
    backend,
    credential,
    caller: ctx.caller,
    message,
    body: target.body,
    onAbort: ctx.onAbort,
    onOutcome: audit,
    rewriteResult: resultFor(ctx, message.method, target.uriPrefix),
    input: ctx.input,
    goingAwayCancels: ctx.era === "2026-07-28",
  };
  // A channel that must see the whole reply (a 2026-07-28 client's) carries it across input rounds.
  const carry = ctx.input?.forCall?.(call);
  try {
    const reply = await (backend.transport === "sse"
      ? forwardViaClient(ctx.parts.forward, forward)
      : forwardCall(ctx.parts.forward, forward));
    return carry ? carry(reply) : reply;
  } catch (e) {
    if (!isAppError(e) || e.code !== "link_required") throw e;
    audit({ ok: false, error: "link_rejected" });
    return linkRequiredReply(message, backend, ctx.session, ctx.caller.userId);
  }
}

type Found = Target | { reply: GatewayReply };

/** How a backend's result reaches this client: resource URIs prefixed, stamped for a 2026 client. */
function resultFor(ctx: RequestContext, method: string, uriPrefix: string | undefined): Forward["rewriteResult"] {
  const modern = ctx.era === "2026-07-28";
  if (!uriPrefix && !modern) return undefined;
  return (result) => {
    const prefixed = uriPrefix ? prefixResultUris(uriPrefix, result) : result;
    return modern ? modernResult(method, prefixed) : prefixed;
  };
}

function findTarget(ctx: RequestContext, message: JsonRpcRequest): Found | Promise<Found> {
  const params = message.params ?? NO_PARAMS;
  if (message.method === "resources/read" || message.method === "resources/subscribe" || message.method === "resources/unsubscribe") {
    const uri = params.uri;
    if (typeof uri !== "string") return { reply: rpcError(message.id, RPC.invalidParams, `${message.method} needs a uri.`) };
    return byUri(ctx, message, uri, (owner) => ({
      backend: owner.backend,
      name: owner.uri,
      body: owner.uri === uri ? ctx.raw : rewrite(message, params, { uri: owner.uri }),
      uriPrefix: uri.slice(0, uri.length - owner.uri.length),
    }));
  }
  if (message.method === "completion/complete") {
    const ref = params.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
    if (ref?.type === "ref/resource" && typeof ref.uri === "string") {
      const uri = ref.uri;
      return byUri(ctx, message, uri, (owner) => ({
        backend: owner.backend,
        name: owner.uri,
        body: owner.uri === uri ? ctx.raw : rewrite(message, params, { ref: { ...ref, uri: owner.uri } }),
      }));
    }
    if (ref?.type !== "ref/prompt" || typeof ref.name !== "string")
      return { reply: rpcError(message.id, RPC.invalidParams, "completion/complete needs a ref/prompt name or a ref/resource uri.") };
    const routed = routeTo(ctx, ref.name, "prompts");
    if (!routed) return { reply: rpcError(message.id, RPC.invalidParams, `Unknown prompt: ${ref.name}`) };
    return {
      backend: routed.backend,
      name: routed.name,
      body: routed.name === ref.name ? ctx.raw : rewrite(message, params, { ref: { ...ref, name: routed.name } }),
    };
  }
  const kind = message.method === "tools/call" ? "tools" : "prompts";
  const what = kind === "tools" ? "tool" : "prompt";
  if (typeof params.name !== "string")
    return { reply: rpcError(message.id, RPC.invalidParams, `${message.method} needs the ${what} name.`) };
  const routed = routeTo(ctx, params.name, kind);
  if (!routed || (kind === "tools" && !isNameAllowed(routed.backend, routed.name))) {
    return { reply: rpcError(message.id, RPC.invalidParams, `Unknown ${what}: ${params.name}`) };
  }
  // Only the name changes; at /api/mcp/<slug> nothing does and the body goes as it came.
  const body = routed.name === params.name ? ctx.raw : rewrite(message, params, { name: routed.name });
  return { backend: routed.backend, name: routed.name, body };
}

const NO_PARAMS: Record<string, unknown> = Object.freeze({});

/** The request as the backend gets it: only `changed` params differ. */
function rewrite(message: JsonRpcRequest, params: Record<string, unknown>, changed: Record<string, unknown>): string {
  return JSON.stringify({ ...message, params: { ...params, ...changed } });
}

function routeTo(ctx: RequestContext, name: string, kind: "tools" | "prompts") {
  return ctx.slug
    ? ctx.backends[0] && { backend: ctx.backends[0], name }
    : routeName(name, ctx.backends, kind, ctx.parts.catalogs.knownNames.bind(ctx.parts.catalogs));
}

function byUri(
  ctx: RequestContext,
  message: JsonRpcRequest,
  uri: string,
  target: (owner: ResourceOwner) => Target,
): Found | Promise<Found> {
  const found = (owner: ResourceOwner | undefined): Found =>
    owner ? target(owner) : { reply: rpcError(message.id, RPC.resourceNotFound, `Resource not found: ${uri}`, { uri }) };
  const owner = findResourceOwner(ctx, uri);
  return owner instanceof Promise ? owner.then(found) : found(owner);
}
