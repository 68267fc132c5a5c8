// completion/complete forwarded upstream as it came, in each backend's era: a prompt argument and a
// resource template variable completed by a handshake-era backend and by a 2026-07-28 one (whose
// request carries the per-request `_meta` and no session).
import "@/testkit/preset";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEverythingBackend, type EverythingBackend } from "@/e2e/world/everything-mcp";
import type { GatewayReply, McpCaller } from "@/gateway/types";
import { forwardCall, type ForwardDeps } from "@/gateway/upstream/forward-call";
import { InflightCalls } from "@/gateway/upstream/inflight";
import { UpstreamPool } from "@/gateway/upstream/session-pool";
import type { RuntimeBackend } from "@/lib/backends/runtime";

let backends: Record<"old" | "new", EverythingBackend>;
let deps: ForwardDeps;
const caller = { issuer: "test", sub: "alice", token: "t", userId: "u1" } as unknown as McpCaller;

beforeAll(async () => {
  const [old, modern] = await Promise.all([startEverythingBackend({ era: "2025-11-25" }), startEverythingBackend({ era: "both" })]);
  backends = { old, new: modern };
  const pool = new UpstreamPool({ idleMs: 60_000, onListChanged: () => undefined });
  deps = { pool, inflight: new InflightCalls(), onListChanged: () => undefined };
});
afterAll(async () => {
  await deps?.pool.closeAll();
  await Promise.all(Object.values(backends ?? {}).map((b) => b.close()));
});

function backendOf(slug: "old" | "new"): RuntimeBackend {
  const b = backends[slug];
  return {
    id: `id-${slug}`,
    slug,
    displayName: slug,
    url: b.url,
    transport: "streamable_http",
    timeoutMs: 10_000,
    prefix: `${slug}_`,
    toolAllow: [],
    toolDeny: [],
    visibleToRoles: [],
    visibleToGroups: [],
    auth: { mode: "none" } as RuntimeBackend["auth"],
    auditArguments: false,
    version: "1",
  };
}

async function textOf(reply: GatewayReply): Promise<string> {
  if (typeof reply.body === "string" || Buffer.isBuffer(reply.body)) return reply.body.toString();
  let text = "";
  for await (const chunk of reply.body as Readable) text += String(chunk);
  return text;
}

async function complete(slug: "old" | "new", params: Record<string, unknown>) {
  const message = { jsonrpc: "2.0" as const, id: 7, method: "completion/complete", params };
  const reply = await forwardCall(deps, {
    backend: backendOf(slug),
    credential: { headers: {}, identity: "anonymous" },
    caller,
    message,
    body: JSON.stringify(message),
    onAbort: () => () => undefined,
    onOutcome: () => undefined,
  });
  const text = await textOf(reply);
  const data = text.includes("data:") ? text.split("data:").at(-1)!.trim() : text;
  return (JSON.parse(data) as { result: { completion: { values: string[] } } }).result.completion.values;
}

describe("[gateway] completions forwarded to backends of both eras", () => {
  it.each(["old", "new"] as const)("the %s backend completes a prompt argument and a template variable", async (slug) => {
    expect(await complete(slug, { ref: { type: "ref/prompt", name: "greet" }, argument: { name: "name", value: "A" } })).toEqual([
      "Ada",
      "Alan",
    ]);
    expect(await complete(slug, { ref: { type: "ref/resource", uri: "notes://{id}" }, argument: { name: "id", value: "b" } })).toEqual([
      "beta",
    ]);
  });

  it("the 2026 backend got the completion in its own era: version and capabilities in _meta, no session", async () => {
    const seen = backends.new.modernRequests.filter((r) => r.method === "completion/complete");
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]!.headers).toMatchObject({
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "completion/complete",
      "mcp-session-id": undefined,
    });
    expect(seen[0]!.meta["io.modelcontextprotocol/clientCapabilities"]).toEqual({});
  });
});
