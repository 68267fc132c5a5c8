// Traces as an operator sees them in their collector: a span per MCP request (continuing the
// client's traceparent), child spans for the credential, the token exchange and the upstream call,
// the traceparent the backend receives, and the same trace id in the audit row.
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { inSpan, traceFields } from "@/lib/tracing/spans";
import { startTracing, stopTracing } from "@/lib/tracing/start-tracing";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

const exporter = new InMemorySpanExporter();
let stack: GatewayTestStack;

beforeAll(async () => {
  stack = await startGatewayTestStack();
}, 180_000);
afterAll(async () => {
  await stopTracing();
  await stack?.close();
});

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

/** A tools/call as a bare HTTP client sends it (no session needed), with its own headers. */
async function callTool(name: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(stack.mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await stack.tokenFor("alice")}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name, arguments: {} } }),
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain("alice");
}

function lastTraceparent(): RegExpExecArray {
  const calls = stack.world.backends.exchange.calls;
  const received = calls[calls.length - 1]!.headers.traceparent;
  const parsed = TRACEPARENT.exec(received ?? "");
  expect(parsed, `traceparent received by the backend: ${received}`).not.toBeNull();
  return parsed!;
}

async function auditRowOf(traceId: string) {
  await flushAudit();
  return stack.db.prisma.auditEvent.findFirst({ where: { traceId }, select: { action: true, backend: true, outcome: true } });
}

const byName = (spans: ReadableSpan[], name: string) => spans.find((s) => s.name === name);
const parentOf = (s: ReadableSpan | undefined) => s?.parentSpanContext?.spanId;

describe("[observe] tracing off (the default)", () => {
  it("a call carries no traceparent to the backend and its audit row no trace id", async () => {
    await callTool("tickets_whoami", { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
    const calls = stack.world.backends.exchange.calls;
    expect(calls[calls.length - 1]!.headers.traceparent).toBeUndefined();
    await flushAudit();
    expect(await stack.db.prisma.auditEvent.count({ where: { traceId: { not: null } } })).toBe(0);
    expect(await stack.db.prisma.auditEvent.count({ where: { action: "tool_call" } })).toBeGreaterThan(0);
  });
});

describe("[observe] traces", () => {
  beforeAll(() => {
    expect(startTracing({ exporter })).toBe(true);
  });
  it("a client's traceparent is continued: the backend gets a child of it, and the audit row names the trace", async () => {
    await stack.useGateway(); // fresh caches: this call exchanges a token
    exporter.reset();
    const clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const clientSpan = "00f067aa0ba902b7";
    await callTool("tickets_whoami", { traceparent: `00-${clientTrace}-${clientSpan}-01` });

    const [, traceId, parentId] = lastTraceparent();
    expect(traceId).toBe(clientTrace);
    expect(parentId).not.toBe(clientSpan); // the gateway's own upstream span, not the client's

    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === clientTrace);
    const request = byName(spans, "tools/call");
    const credential = byName(spans, "gatehouse.credential");
    const exchange = byName(spans, "gatehouse.token_request");
    const upstream = byName(spans, "gatehouse.upstream");
    expect(parentOf(request)).toBe(clientSpan);
    expect(parentOf(credential)).toBe(request!.spanContext().spanId);
    expect(parentOf(exchange)).toBe(credential!.spanContext().spanId);
    expect(parentOf(upstream)).toBe(request!.spanContext().spanId);
    expect(upstream!.spanContext().spanId).toBe(parentId);
    expect(request!.attributes).toMatchObject({ "mcp.method.name": "tools/call", "gatehouse.backend": "tickets" });

    expect(await auditRowOf(clientTrace)).toEqual({ action: "tool_call", backend: "tickets", outcome: "success" });
  });

  it("a call without traceparent starts a trace, which the backend and the audit row share", async () => {
    exporter.reset();
    await callTool("tickets_whoami");
    const [, traceId] = lastTraceparent();
    const request = byName(exporter.getFinishedSpans(), "tools/call")!;
    expect(request.spanContext().traceId).toBe(traceId);
    expect(request.parentSpanContext).toBeUndefined();
    expect(await auditRowOf(traceId!)).toMatchObject({ action: "tool_call", backend: "tickets" });
  });

  it("a forged or malformed traceparent is ignored, and no span carries the caller's token", async () => {
    exporter.reset();
    const token = await stack.tokenFor("alice");
    for (const forged of [
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "zz-not-a-trace",
      `00-${"a".repeat(32)}-${"0".repeat(16)}-01`,
    ]) {
      await callTool("tickets_whoami", { traceparent: forged, authorization: `Bearer ${token}` });
      const [, traceId] = lastTraceparent();
      expect(traceId).not.toMatch(/^0+$/);
      expect(traceId).not.toBe("a".repeat(32));
    }
    const attributes = JSON.stringify(exporter.getFinishedSpans().map((s) => [s.name, s.attributes]));
    expect(attributes).not.toContain(token);
    expect(attributes).not.toContain(token.split(".")[1]!);
  });

  it("a log line written inside a traced step carries its trace and span ids", () => {
    const fields = inSpan(
      "test.step",
      () => ({}),
      () => traceFields(),
    );
    expect(fields.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fields.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(traceFields()).toEqual({});
  });
});
