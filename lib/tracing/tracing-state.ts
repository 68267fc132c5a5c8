// Whether tracing is on, and its tracer: on globalThis, as Next's bundle and server.ts load separate
// copies of the modules that read it.
import type { Tracer } from "@opentelemetry/api";
import type { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { singleton } from "@/lib/singleton";

export interface TracingState {
  provider?: NodeTracerProvider;
  /** Set only while tracing is on: every hook checks this one field first. */
  tracer?: Tracer;
}

export function tracingState(): TracingState {
  return state;
}

const state = singleton<TracingState>("tracing", () => ({}));
