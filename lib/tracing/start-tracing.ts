// OpenTelemetry traces, off unless configured (OTEL_TRACES_ENABLED, or an OTLP endpoint named): then
// the SDK's Node tracer provider, batched OTLP/HTTP export, the W3C trace-context propagator and
// the AsyncLocalStorage context manager. Off, nothing is registered: the API stays a no-op and the
// hot path checks one field (lib/tracing/spans.ts).
import { context, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { env } from "@/lib/env";
import { tracingState } from "@/lib/tracing/tracing-state";

/**
 * Starts tracing when the configuration asks for it (or `exporter` is given: tests, which export
 * each span as it ends). Returns whether tracing is on.
 */
export function startTracing(opts: { exporter?: SpanExporter } = {}): boolean {
  const state = tracingState();
  if (state.provider) return true;
  const e = env();
  if (!opts.exporter && !e.OTEL_TRACES_ENABLED) return false;
  const processor = opts.exporter
    ? new SimpleSpanProcessor(opts.exporter)
    : new BatchSpanProcessor(
        new OTLPTraceExporter({ url: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, headers: otlpHeaders(e.OTEL_EXPORTER_OTLP_HEADERS) }),
      );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: e.OTEL_SERVICE_NAME }),
    // A client's sampling decision is followed; a new trace is sampled at OTEL_TRACES_SAMPLER_ARG.
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(e.OTEL_TRACES_SAMPLER_ARG) }),
    spanProcessors: [processor],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  state.provider = provider;
  state.tracer = trace.getTracer("gatehouse");
  return true;
}

/** Exports what is buffered and turns tracing off (shutdown, tests). */
export async function stopTracing(): Promise<void> {
  const state = tracingState();
  const provider = state.provider;
  state.provider = undefined;
  state.tracer = undefined;
  if (!provider) return;
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

// OTEL_EXPORTER_OTLP_HEADERS: key=value,key2=value2, values URL-encoded (the OTel convention).
function otlpHeaders(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  const headers: Record<string, string> = {};
  for (const pair of raw.split(",")) {
    const at = pair.indexOf("=");
    if (at > 0) headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}
