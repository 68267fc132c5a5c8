// The spans of a gateway request: the request itself (continuing the client's traceparent), and
// its steps (credential, token exchange or refresh, the upstream call). With tracing off each hook
// is one field check and a direct call: no span, no context, no AsyncLocalStorage.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { tracingState } from "@/lib/tracing/tracing-state";

const state = tracingState();

interface Reply {
  status: number;
  body?: unknown;
}

/** Runs a gateway request in a SERVER span, a child of the client's `traceparent` when it sent one. */
export function traceRequest<R extends Reply>(header: (name: string) => string | undefined, run: () => Promise<R>): Promise<R> {
  const tracer = state.tracer;
  if (!tracer) return run();
  const parent = propagation.extract(ROOT_CONTEXT, header, { get: (h, key) => h(key), keys: () => [] });
  const span = tracer.startSpan("mcp", { kind: SpanKind.SERVER }, parent);
  return context.with(trace.setSpan(parent, span), run).then(
    (reply) => {
      span.setAttribute("http.response.status_code", reply.status);
      if (reply.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      // A relayed stream: the request lasts until it ends.
      const body = reply.body as { once?: (event: string, listener: () => void) => void } | undefined;
      if (body && typeof body === "object" && !Buffer.isBuffer(body) && typeof body.once === "function")
        body.once("close", () => span.end());
      else span.end();
      return reply;
    },
    (e: unknown) => {
      failed(span, e);
      throw e;
    },
  );
}

/** Names the request's span after its JSON-RPC method once that is known (`tools/call`, `tools/list`…). */
export function nameRequestSpan(method: string, backend?: string): void {
  if (!state.tracer) return;
  const span = trace.getActiveSpan();
  if (!span) return;
  span.updateName(method);
  span.setAttribute("mcp.method.name", method);
  if (backend) span.setAttribute("gatehouse.backend", backend);
}

/** Whether requests are traced: lets a hot path skip building a span's closures at all. */
export function tracingOn(): boolean {
  return state.tracer !== undefined;
}

/** Runs `step` in a child span of the current one; a synchronous result stays synchronous. */
export function inSpan<T>(name: string, attributes: () => Attributes, step: () => T): T {
  const tracer = state.tracer;
  if (!tracer) return step();
  const span = tracer.startSpan(name, { attributes: attributes() });
  let result: T;
  try {
    result = context.with(trace.setSpan(context.active(), span), step);
  } catch (e) {
    failed(span, e);
    throw e;
  }
  if (!(result instanceof Promise)) {
    span.end();
    return result;
  }
  return result.then(
    (value: unknown) => {
      span.end();
      return value;
    },
    (e: unknown) => {
      failed(span, e);
      throw e;
    },
  ) as T;
}

/** A CLIENT span for a call to a backend; undefined while tracing is off. End it with endSpan(). */
export function startUpstreamSpan(backend: string, url: string): Span | undefined {
  const tracer = state.tracer;
  if (!tracer) return undefined;
  // The host only: a backend URL's path or query may hold a key an admin put there.
  const attributes = { "gatehouse.backend": backend, "server.address": new URL(url).host };
  return tracer.startSpan("gatehouse.upstream", { kind: SpanKind.CLIENT, attributes });
}

/** Adds `traceparent` (and `tracestate`) naming `span` to an upstream request's headers. */
export function injectTraceContext(span: Span | undefined, headers: Record<string, string>): Record<string, string> {
  if (span) propagation.inject(trace.setSpan(context.active(), span), headers);
  return headers;
}

export function endSpan(span: Span | undefined, ok: boolean): void {
  if (!span) return;
  if (!ok) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** The current trace id (32 hex digits), for the audit row and the log line; undefined while off. */
export function currentTraceId(): string | undefined {
  if (!state.tracer) return undefined;
  return trace.getSpan(context.active())?.spanContext().traceId;
}

/** The pino mixin: the trace and span ids on every log line written inside a traced request. */
export function traceFields(): { traceId?: string; spanId?: string } {
  // A new object each time: pino merges the line's own fields into it.
  if (!state.tracer) return {};
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

function failed(span: Span, e: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.name : "error" });
  span.end();
}
