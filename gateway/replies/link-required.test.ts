// A linked-account backend called without a usable link: a client that declared URL elicitation gets
// -32042 with the portal's link URL, any other client a tool error naming it; the backend's tools stay
// listed; once the user links, the same call succeeds as them.
import { McpError, UrlElicitationRequiredError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAudit } from "@/lib/audit/record-audit";
import { emitChange } from "@/lib/events";
import { getAccessToken } from "@/lib/links/get-access-token";
import { startGatewayTestStack, type GatewayTestStack } from "@/testkit/gateway-stack";

let stack: GatewayTestStack;
beforeAll(async () => {
  stack = await startGatewayTestStack();
});
afterAll(async () => {
  await stack?.close();
});

// The link URL names the Gatehouse user it was made for, so the page can refuse anyone else.
const linkUrl = async () => `${stack.url}/links/gitlab?user=${await stack.userIdOf("alice")}`;

async function elicitationOf(call: Promise<unknown>): Promise<UrlElicitationRequiredError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpError);
  expect((error as McpError).code).toBe(-32042);
  return error as UrlElicitationRequiredError;
}

describe("[gateway] missing link", () => {
  it("before anyone linked GitLab, alice sees one gitlab_link_account tool, and calling it asks her to link", async () => {
    const client = await stack.connect("alice", { elicitationUrl: true });
    const gitlabTools = (await client.listTools()).tools.filter((t) => t.name.startsWith("gitlab_"));
    expect(gitlabTools.map((t) => t.name)).toEqual(["gitlab_link_account"]);
    expect(gitlabTools[0]!.description).toContain("not linked");
    const error = await elicitationOf(client.callTool({ name: "gitlab_link_account" }));
    expect(error.elicitations[0]!.url).toBe(await linkUrl());
    await client.close();
  });

  it("a client with elicitation.url gets -32042 with one URL elicitation to the link page, and GitLab is not called", async () => {
    const client = await stack.connect("alice", { elicitationUrl: true });
    const before = stack.world.gitlab.counters.mcpCalls;
    const error = await elicitationOf(client.callTool({ name: "gitlab_get_current_user" }));
    expect(error.elicitations).toHaveLength(1);
    const [elicitation] = error.elicitations;
    expect(elicitation).toMatchObject({ mode: "url", url: await linkUrl() });
    expect(elicitation!.elicitationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(elicitation!.message).toContain("GitLab");
    expect(stack.world.gitlab.counters.mcpCalls).toBe(before);
    await client.close();
  });

  it("a client without the capability gets a tool error whose text names the link URL", async () => {
    const client = await stack.connect("alice");
    const result = (await client.callTool({ name: "gitlab_get_current_user" })) as { isError?: boolean; content: { text: string }[] };
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain(await linkUrl());
    await client.close();
  });

  it("the capability is remembered from initialize by the signed session id, not by server memory", async () => {
    const client = await stack.connect("alice", { elicitationUrl: true });
    // A fresh gateway (as another replica would be) still knows what this client declared.
    await stack.useGateway();
    await elicitationOf(client.callTool({ name: "gitlab_get_current_user" }));
    await client.close();
  });

  it("a session id issued to bob is refused for alice (404: initialize again)", async () => {
    const bob = await stack.connect("bob", { elicitationUrl: true });
    const sessionId = (bob.transport as { sessionId?: string }).sessionId!;
    const res = await fetch(stack.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await stack.tokenFor("alice")}`,
        "content-type": "application/json",
        "mcp-session-id": sessionId,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(404);
    await bob.close();
  });

  it("the GitLab tools stay listed for a user without a link once any user's list was seen", async () => {
    await stack.linkGitLab("bob");
    const bob = await stack.connect("bob");
    expect((await bob.listTools()).tools.map((t) => t.name)).toContain("gitlab_create_issue");
    const alice = await stack.connect("alice");
    const names = (await alice.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["gitlab_get_current_user", "gitlab_create_issue", "gitlab_get_issue"]));
    await Promise.all([alice.close(), bob.close()]);
  });

  it("after alice links, the client's retry succeeds as alice", async () => {
    const client = await stack.connect("alice", { elicitationUrl: true });
    await elicitationOf(client.callTool({ name: "gitlab_get_current_user" }));
    await stack.linkGitLab("alice");
    const result = (await client.callTool({ name: "gitlab_get_current_user" })) as { content: { text: string }[] };
    expect(JSON.parse(result.content[0]!.text)).toMatchObject({ id: 101, username: "alice" });
    await client.close();
  });

  it("a GitLab token revoked at GitLab asks for the link again", async () => {
    const userId = await stack.userIdOf("alice");
    const { accessToken } = await getAccessToken({ userId, providerId: stack.providerId });
    const { clientId, clientSecret } = stack.world.gitlabApp;
    const revoked = await fetch(`${stack.world.gitlab.url}/oauth/revoke`, {
      method: "POST",
      body: new URLSearchParams({ token: accessToken, client_id: clientId, client_secret: clientSecret }),
    });
    expect(revoked.ok).toBe(true);
    expect(await stack.world.gitlab.isTokenActive(accessToken)).toBe(false);
    const client = await stack.connect("alice", { elicitationUrl: true });
    const error = await elicitationOf(client.callTool({ name: "gitlab_get_current_user" }));
    expect(error.elicitations[0]!.url).toBe(await linkUrl());
    await client.close();
  });

  it("a link that needs relinking asks for the link again", async () => {
    const userId = await stack.userIdOf("alice");
    await stack.db.prisma.linkedAccount.updateMany({
      where: { userId, providerId: stack.providerId },
      data: { status: "needs_relink", statusReason: "test" },
    });
    emitChange({ kind: "link", userId, providerId: stack.providerId });
    const client = await stack.connect("alice", { elicitationUrl: true });
    const error = await elicitationOf(client.callTool({ name: "gitlab_get_current_user" }));
    expect(error.elicitations[0]!.url).toBe(await linkUrl());
    await client.close();
  });

  it("audits the refused call as a failure naming the reason", async () => {
    await flushAudit();
    const userId = await stack.userIdOf("alice");
    const rows = await stack.db.prisma.auditEvent.findMany({
      where: { userId, backend: "gitlab", action: "tool_call", outcome: "failure" },
    });
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.every((r) => ["link_required", "link_rejected"].includes((r.detail as { error?: string }).error!))).toBe(true);
  });
});
