// One audit event per forwarded call, queued (recordAudit batches the writes off the call's path).
// Tool arguments are recorded only for backends where an admin turned that on.
import type { JsonRpcRequest, McpCaller } from "@/gateway/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { callOutcome, observeGatewayRequest } from "@/lib/metrics/observe";

const ACTIONS: Record<string, string> = { "tools/call": "tool_call", "prompts/get": "prompt_get", "resources/read": "resource_read" };

export function auditCall(e: {
  caller: McpCaller;
  backend: RuntimeBackend;
  message: JsonRpcRequest;
  /** The name at the backend (tool or prompt), or the resource URI. */
  target: string;
  outcome: { ok: boolean; error?: string };
  startedAt: number;
  traceId?: string;
}): void {
  const latencyMs = performance.now() - e.startedAt;
  observeGatewayRequest(e.message.method, e.backend.slug, callOutcome(e.outcome), latencyMs / 1000);
  const args = e.backend.auditArguments ? e.message.params?.arguments : undefined;
  const detail = { ...(e.outcome.error ? { error: e.outcome.error } : {}), ...(args !== undefined ? { arguments: args } : {}) };
  recordAudit({
    action: ACTIONS[e.message.method] ?? e.message.method,
    outcome: e.outcome.ok ? "success" : "failure",
    userId: e.caller.userId,
    clientId: e.caller.clientId ?? null,
    clientName: e.caller.clientName ?? null,
    backend: e.backend.slug,
    tool: e.target,
    latencyMs,
    traceId: e.traceId,
    detail: Object.keys(detail).length ? (detail as Record<string, string>) : undefined,
  });
}
