// The side-by-side pairs: for each outgoing auth mode, one tool call made directly to the backend
// with the credential the gateway would inject, and the same call through /api/mcp as alice, who
// presents a Keycloak token or, for the modes named so, an access token from Gatehouse's own
// authorization server (bench/gatehouse-token.ts).
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { gatehouseToken } from "@/bench/gatehouse-token";
import type { Target } from "@/bench/load-protocol";
import { exchangedToken, gitlabToken, keycloakToken } from "@/bench/tokens";
import type { Stack } from "@/e2e/stack";

type Outgoing = "none" | "static_header" | "token_exchange" | "linked_account";

/** Every measured pair, in report order: the backend's outgoing auth mode, and who issued alice's token. */
const SCENARIOS = {
  none: { outgoing: "none", issuer: "keycloak" },
  static_header: { outgoing: "static_header", issuer: "keycloak" },
  token_exchange: { outgoing: "token_exchange", issuer: "keycloak" },
  linked_account: { outgoing: "linked_account", issuer: "keycloak" },
  "none, Gatehouse token": { outgoing: "none", issuer: "gatehouse" },
  "token_exchange, Gatehouse token": { outgoing: "token_exchange", issuer: "gatehouse" },
} as const satisfies Record<string, { outgoing: Outgoing; issuer: "keycloak" | "gatehouse" }>;

export type Mode = keyof typeof SCENARIOS;
export const MODES = Object.keys(SCENARIOS) as Mode[];

const ALICE = { username: "alice", password: "alice-password" };

export interface Pair {
  mode: Mode;
  /** What is called, for the report. */
  tools: { direct: string; gateway: string };
  direct: Target;
  gateway: Target;
}

const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

export function callBody(name: string, args: Record<string, unknown> = {}): string {
  return JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } });
}

/** 127.0.0.1 rather than localhost: no resolver in the way, and the same for both sides. */
export const loopback = (url: string) => url.replace("//localhost:", "//127.0.0.1:");

/** A gateway session for the bearer `token`: initialize once, then every call carries its session id and version. */
export async function gatewaySession(stack: Stack, token: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = { ...MCP_HEADERS, authorization: `Bearer ${token}` };
  const init = {
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "gatehouse-bench", version: "1" } },
  };
  const res = await fetch(stack.mcpUrl, { method: "POST", headers, body: JSON.stringify(init) });
  const reply = (await res.json()) as { result?: { protocolVersion?: string }; error?: unknown };
  const sessionId = res.headers.get("mcp-session-id");
  if (res.status !== 200 || !reply.result?.protocolVersion)
    throw new Error(`initialize at the gateway failed: ${res.status} ${JSON.stringify(reply).slice(0, 300)}`);
  const session = {
    ...headers,
    "mcp-protocol-version": reply.result.protocolVersion,
    ...(sessionId ? { "mcp-session-id": sessionId } : {}),
  };
  const initialized = await fetch(stack.mcpUrl, {
    method: "POST",
    headers: session,
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  await initialized.arrayBuffer();
  return session;
}

/**
 * The pair for one mode, with fresh tokens (Keycloak's live 300 s, so each mode gets its own; the
 * bench stack gives Gatehouse's a life longer than the run).
 */
export async function pairFor(stack: Stack, mode: Mode): Promise<Pair> {
  const { world } = stack;
  const { outgoing, issuer } = SCENARIOS[mode];
  const bearer = issuer === "gatehouse" ? await gatehouseToken(stack, ALICE) : await keycloakToken(world, ALICE.username);
  const session = await gatewaySession(stack, bearer);
  const version = { "mcp-protocol-version": session["mcp-protocol-version"]! };
  const gateway = (tool: string, args?: Record<string, unknown>, expect?: string): Target => ({
    name: `gateway ${tool}`,
    url: loopback(stack.mcpUrl),
    headers: session,
    body: callBody(tool, args),
    expect,
  });
  const direct = (
    url: string,
    tool: string,
    credential: Record<string, string>,
    args?: Record<string, unknown>,
    expect?: string,
  ): Target => ({
    name: `direct ${tool}`,
    url,
    headers: { ...MCP_HEADERS, ...version, ...credential },
    body: callBody(tool, args),
    expect,
  });
  const text = { text: "bench" };
  switch (outgoing) {
    case "none":
      return {
        mode,
        tools: { direct: "echo", gateway: "utils_echo" },
        direct: direct(world.backends.open.url, "echo", {}, text, "bench"),
        gateway: gateway("utils_echo", text, "bench"),
      };
    case "static_header": {
      const key = { [world.staticKey.headerName.toLowerCase()]: world.staticKey.apiKey };
      return {
        mode,
        tools: { direct: "whoami", gateway: "search_whoami" },
        direct: direct(world.backends.static.url, "whoami", key, {}, "service-account"),
        gateway: gateway("search_whoami", {}, "service-account"),
      };
    }
    case "token_exchange": {
      const exchanged = await exchangedToken(world, await keycloakToken(world, "alice"));
      return {
        mode,
        tools: { direct: "whoami", gateway: "tickets_whoami" },
        direct: direct(world.backends.exchange.url, "whoami", { authorization: `Bearer ${exchanged}` }, {}, "alice"),
        gateway: gateway("tickets_whoami", {}, "alice"),
      };
    }
    case "linked_account": {
      const token = await gitlabToken(world, "alice");
      return {
        mode,
        tools: { direct: "get_current_user", gateway: "gitlab_get_current_user" },
        direct: direct(world.gitlab.mcpUrl, "get_current_user", { authorization: `Bearer ${token}` }, {}, "alice"),
        gateway: gateway("gitlab_get_current_user", {}, "alice"),
      };
    }
  }
}
