// One MCP request, from HTTP to reply: scope (/api/mcp or /api/mcp/<slug>), Origin, bearer token,
// JSON-RPC parsing, the client's signed session, then the method. Shared by the Node handler
// (server.ts) and the Web adapter (the Next route file).
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { visibleBackends } from "@/gateway/catalog/visible-backends";
import type { GatewayParts, RequestContext } from "@/gateway/context";
import { eraOf, modernSession, routingHeaderProblem } from "@/gateway/http/era";
import { corsHeaders, hostAllowed, originAllowed, preflight } from "@/gateway/http/origin";
import { toolParamHeaderProblem } from "@/gateway/http/param-headers";
import { readSessionId } from "@/gateway/http/session-id";
import { authenticate } from "@/gateway/inbound/authenticate";
import { resourceUrl } from "@/gateway/inbound/protected-resource";
import { CALL_METHODS, callReply } from "@/gateway/methods/call";
import { discoverReply } from "@/gateway/methods/discover";
import { initializeReply } from "@/gateway/methods/initialize";
import { notificationStream } from "@/gateway/methods/listen";
import { LIST_METHODS, listReply } from "@/gateway/methods/lists";
import { setLevelReply } from "@/gateway/methods/logging";
import { subscriptionReply } from "@/gateway/methods/resource-subscriptions";
import { subscriptionsListenReply } from "@/gateway/methods/subscriptions-listen";
import { accepted, jsonReply, methodNotAllowed, rpcError, rpcResult, unauthorized } from "@/gateway/replies/replies";
import type { ClientSession, GatewayReply, GatewayRequest, JsonRpcRequest } from "@/gateway/types";
import { loadRuntimeBackends, runtimeBackendsNow } from "@/lib/backends/runtime";
import { isAppError } from "@/lib/errors";
import { RPC } from "@/lib/json-rpc-errors";
import { observeReply } from "@/lib/metrics/observe";
import { isSignInEnded } from "@/lib/oauth-server/sign-in-ended";
import { nameRequestSpan } from "@/lib/tracing/spans";

const SCOPE = /^\/api\/mcp(?:\/([a-z][a-z0-9-]{0,39}))?\/?$/;

export function handleRequest(parts: GatewayParts, req: GatewayRequest): Promise<GatewayReply> {
  if (!hostAllowed(req.header("host"))) {
    return Promise.resolve(
      jsonReply(403, {
        error: "forbidden",
        error_description: `Host ${req.header("host")} is not this server (APP_URL, MCP_ALLOWED_HOSTS).`,
      }),
    );
  }
  const origin = req.header("origin");
  if (origin === undefined) return handleAllowed(parts, req);
  if (!originAllowed(origin)) {
    return Promise.resolve(
      jsonReply(403, { error: "forbidden", error_description: `Origin ${origin} is not allowed (MCP_ALLOWED_ORIGINS).` }),
    );
  }
  return handleAllowed(parts, req).then((reply) => {
    Object.assign(reply.headers, corsHeaders(origin));
    return reply;
  });
}

async function handleAllowed(parts: GatewayParts, req: GatewayRequest): Promise<GatewayReply> {
  const startedAt = performance.now();
  const scope = SCOPE.exec(req.path);
  if (!scope) return jsonReply(404, { error: "not_found", error_description: "No MCP endpoint here: use /api/mcp or /api/mcp/<backend>." });
  if (req.method === "OPTIONS") return preflight();
  const slug = scope[1];
  // From memory, without an await, once loaded (each await costs on this path).
  const all = runtimeBackendsNow() ?? (await loadRuntimeBackends());
  const scoped = slug ? all.find((b) => b.slug === slug) : undefined;
  if (slug && !scoped) return jsonReply(404, { error: "not_found", error_description: `No enabled MCP backend "${slug}".` });

  // Synchronous for a known token and user: await only a promise (each await costs on this path).
  const authenticating = authenticate(req, slug, scoped, parts);
  const auth = authenticating instanceof Promise ? await authenticating : authenticating;
  if ("reply" in auth) return auth.reply;
  const { caller } = auth;
  if (req.method === "GET" && (req.header("accept") ?? "").includes("text/event-stream")) {
    const sessionId = req.header("mcp-session-id");
    if (sessionId && !readSessionId(sessionId, caller, resourceUrl(slug)))
      return rpcError(null, RPC.sessionNotFound, "Session not found or expired: initialize again.", undefined, 404);
    return notificationStream(
      { parts, caller, slug, onAbort: req.onAbort, backends: visibleBackends(all, scoped, caller) },
      { sessionId, lastEventId: req.header("last-event-id") },
    );
  }
  if (req.method !== "POST") return methodNotAllowed();

  let body: Buffer;
  try {
    // Reads at most MCP_BODY_LIMIT_BYTES (lib/http/body-limit.ts) and rejects past it.
    body = await req.body();
  } catch (e) {
    if (isAppError(e) && e.code === "payload_too_large") return rpcError(null, RPC.invalidRequest, e.message, undefined, 413);
    throw e;
  }
  const raw = body.toString("utf8");
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return rpcError(null, RPC.parseError, "Parse error: the body is not JSON.", undefined, 400);
  }
  if (Array.isArray(message))
    return rpcError(null, RPC.invalidRequest, "JSON-RPC batches are not supported (MCP removed them in 2025-06-18).", undefined, 400);
  if (!isObject(message) || message.jsonrpc !== "2.0")
    return rpcError(null, RPC.invalidRequest, "Not a JSON-RPC 2.0 message.", undefined, 400);

  const method = typeof message.method === "string" ? message.method : undefined;
  const hasId = typeof message.id === "string" || typeof message.id === "number";
  if (!method) {
    // A client's answer to a request the gateway put to it mid-call: to the replica holding the call.
    parts.clientInput.answer(caller, message);
    return accepted();
  }
  if (!hasId) {
    if (method === "notifications/cancelled")
      parts.inflight.cancel(caller, isObject(message.params) ? message.params.requestId : undefined);
    return accepted();
  }
  const request = message as unknown as JsonRpcRequest;
  nameRequestSpan(method, slug);
  const version = req.header("mcp-protocol-version");
  const era = eraOf(isObject(message.params) ? message.params : undefined, version);
  let session: ClientSession | undefined;
  if (era === "2026-07-28") {
    // Stateless: the request itself says who the client is; the routing headers must agree with it.
    const modern = modernSession(request.params, version);
    if ("problem" in modern) return rpcError(request.id, RPC.invalidRequest, modern.problem, undefined, 400);
    const disagreement = routingHeaderProblem(req.header, method, request.params);
    if (disagreement) return rpcError(request.id, RPC.invalidRequest, disagreement, undefined, 400);
    session = modern;
  }
  const sessionId = req.header("mcp-session-id");
  if (sessionId && era === "2025-11-25" && method !== "initialize") {
    // Expired, malformed, or another user's, client's or endpoint's: 404 makes the client initialize again.
    session = readSessionId(sessionId, caller, resourceUrl(slug));
    if (!session) return rpcError(null, RPC.sessionNotFound, "Session not found or expired: initialize again.", undefined, 404);
  }
  if (era === "2025-11-25" && version && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    return rpcError(
      null,
      RPC.invalidRequest,
      `Unsupported MCP-Protocol-Version ${version}; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}.`,
      undefined,
      400,
    );
  }

  let input: RequestContext["input"] | null = null;
  const ctx: RequestContext = {
    parts,
    caller,
    session,
    era,
    slug,
    raw,
    onAbort: req.onAbort,
    backends: visibleBackends(all, scoped, caller),
    // Made on first use: only a forwarded call can need to ask its client anything.
    get input() {
      if (input === null) input = parts.clientInput.channelFor({ caller, session, era, header: req.header });
      return input;
    },
  };
  // A backend the caller may not see does not exist for them, at its own endpoint too.
  if (slug && ctx.backends.length === 0)
    return jsonReply(404, { error: "not_found", error_description: `No enabled MCP backend "${slug}".` });

  if (method === "ping")
    return observeReply(method, slug, startedAt, rpcResult(request.id, era === "2026-07-28" ? { resultType: "complete" } : {}));
  try {
    // Calls are measured when their answer has gone through (gateway/replies/audit-call.ts).
    if (method === "initialize" && era === "2025-11-25")
      return observeReply(method, slug, startedAt, await initializeReply(ctx, request, { displayName: scoped?.displayName }));
    if (method === "server/discover")
      return observeReply(method, slug, startedAt, await discoverReply(ctx, request, { displayName: scoped?.displayName }));
    if (method === "logging/setLevel") return observeReply(method, slug, startedAt, await setLevelReply(ctx, request));
    if (method in LIST_METHODS)
      return observeReply(method, slug, startedAt, await listReply(ctx, request, LIST_METHODS[method as keyof typeof LIST_METHODS]));
    if (method === "subscriptions/listen" && era === "2026-07-28") return await subscriptionsListenReply(ctx, request);
    // A handshake client's session remembers its subscriptions for its GET stream, on any replica.
    if ((method === "resources/subscribe" || method === "resources/unsubscribe") && era === "2025-11-25" && sessionId)
      return observeReply(method, slug, startedAt, await subscriptionReply(ctx, request, sessionId));
    if (method === "tools/call" && era === "2026-07-28") {
      const checking = toolParamHeaderProblem(ctx, req.header, request.params);
      const problem = checking instanceof Promise ? await checking : checking;
      if (problem) return rpcError(request.id, RPC.invalidRequest, problem, undefined, 400);
    }
    if (CALL_METHODS.has(method)) return await callReply(ctx, request);
  } catch (e) {
    // A Gatehouse-token caller whose kept Keycloak sign-in ended: the client signs in again, as for a bad token.
    if (isSignInEnded(e)) return unauthorized(slug, { error: "invalid_token", description: e.message });
    throw e;
  }
  return rpcError(request.id, RPC.methodNotFound, `Method not found: ${method}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
