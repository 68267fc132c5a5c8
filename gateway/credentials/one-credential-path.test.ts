// Real calls and the console's Test connection get a backend's credential through the same function:
// for each outgoing auth mode, both paths call that mode's credential(), and breaking it breaks both.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { testBackendConnection } from "@/gateway/console/test-connection";
import { OUTGOING_MODES } from "@/gateway/credentials/modes";
import type { RuntimeAuth } from "@/lib/backends/runtime";
import { AppError } from "@/lib/errors";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
let alice: Client;
let admin: { userId: string; accessToken: string };
const backendOf: Partial<Record<RuntimeAuth["mode"], { id: string; tool: string }>> = {};

beforeAll(async () => {
  stack = await startGatewayTestStack();
  await stack.linkGitLab("alice");
  await stack.linkGitLab("admin");
  const serviceId = await stack.addBackend({
    slug: "service",
    displayName: "Service",
    url: stack.world.backends.open.url,
    auth: {
      mode: "client_credentials",
      tokenEndpoint: stack.world.keycloak.tokenEndpoint,
      clientId: stack.world.gatehouseClient.clientId,
      clientSecret: stack.world.gatehouseClient.clientSecret,
    },
  });
  Object.assign(backendOf, {
    none: { id: stack.backendIds.utils, tool: "utils_whoami" },
    static_header: { id: stack.backendIds.search, tool: "search_whoami" },
    token_exchange: { id: stack.backendIds.tickets, tool: "tickets_whoami" },
    linked_account: { id: stack.backendIds.gitlab, tool: "gitlab_get_current_user" },
    client_credentials: { id: serviceId, tool: "service_whoami" },
  });
  alice = await stack.connect("alice");
  admin = { userId: await stack.userIdOf("admin"), accessToken: await stack.tokenFor("admin") };
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await alice?.close();
  await stack?.close();
});

const MODES = ["none", "static_header", "token_exchange", "linked_account", "client_credentials"] as const;

describe.each(MODES)("[credentials] %s", (mode) => {
  it("a real call and Test connection both get the credential from the mode's one function", async () => {
    const { id, tool } = backendOf[mode]!;
    const spy = vi.spyOn(OUTGOING_MODES[mode], "credential");
    const forThisBackend = () => spy.mock.calls.filter(([backend]) => backend.id === id).length;

    const result = (await alice.callTool({ name: tool })) as { isError?: boolean };
    expect(result.isError).not.toBe(true);
    const afterCall = forThisBackend();
    expect(afterCall).toBeGreaterThan(0);

    const tested = await testBackendConnection(id, { admin });
    expect(tested).toMatchObject({ ok: true, authenticated: true });
    expect(forThisBackend()).toBeGreaterThan(afterCall);
  });

  it("breaking the mode's credential function breaks both paths", async () => {
    const { id, tool } = backendOf[mode]!;
    vi.spyOn(OUTGOING_MODES[mode], "credential").mockImplementation(() =>
      Promise.reject(new AppError("upstream", "credential broken on purpose")),
    );

    await expect(alice.callTool({ name: tool })).rejects.toThrow(/credential broken on purpose/);
    const tested = await testBackendConnection(id, { admin });
    expect(tested.ok).toBe(false);
    expect(tested.message).toBe("Could not get a credential for the backend: credential broken on purpose");
  });
});
