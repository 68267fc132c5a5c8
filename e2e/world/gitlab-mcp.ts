// The GitLab-like MCP server at /api/v4/mcp: an OAuth resource server for this GitLab's own tokens
// with the `mcp` scope, whose tools act as the token's user.
import type { IncomingMessage, ServerResponse } from "node:http";
import { jsonRpcMessages, McpServerPool, sendMethodNotAllowed } from "./backend-mcp.js";
import { dualEraServing } from "./dual-era-http.js";
import { findTokenOwner } from "./gitlab-api.js";
import { IssueStore } from "./gitlab-issues.js";
import { buildModernGitLabServer } from "./gitlab-mcp-modern.js";
import type { GitLabCounters, GitLabUser } from "./gitlab-types.js";
import { bearerToken, readJsonBody, sendJson } from "./http.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type Provider from "oidc-provider";
import { z } from "zod";

export const MCP_PATH = "/api/v4/mcp";
const METADATA_PATH = `/.well-known/oauth-protected-resource${MCP_PATH}`;

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface GitLabMcpOptions {
  baseUrl: string;
  provider: Provider;
  users: GitLabUser[];
  counters: GitLabCounters;
  /** "both": 2026-07-28 served on the same URL next to the handshake era (default: the handshake era only). */
  eras?: "handshake" | "both";
}

/** Returns a handler that answers the MCP endpoint and its metadata, or false for other paths. */
export function createGitLabMcp(opts: GitLabMcpOptions) {
  const issues = new IssueStore(opts.baseUrl);
  const pool = new McpServerPool(() => buildServer(issues));
  const serve =
    opts.eras === "both"
      ? dualEraServing(
          () => buildModernGitLabServer(issues),
          (req, res, body, auth) => pool.handle(req, res, body, auth),
        )
      : (req: IncomingMessage, res: ServerResponse, body: unknown, auth: AuthInfo) => pool.handle(req, res, body, auth);
  const metadataUrl = opts.baseUrl + METADATA_PATH;

  return async function handleMcp(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (path === METADATA_PATH || path === "/.well-known/oauth-protected-resource") {
      sendJson(res, 200, {
        resource: opts.baseUrl + MCP_PATH,
        authorization_servers: [opts.baseUrl],
        scopes_supported: ["mcp"],
        bearer_methods_supported: ["header"],
        resource_name: "GitLab MCP server",
      });
      return true;
    }
    if (path !== MCP_PATH) return false;

    const token = bearerToken(req.headers.authorization);
    const owner = await findTokenOwner(opts.provider, opts.users, token);
    if (!owner) {
      const error = token ? ', error="invalid_token"' : "";
      sendJson(
        res,
        401,
        { error: "invalid_token", error_description: "Missing or invalid access token" },
        {
          "www-authenticate": `Bearer resource_metadata="${metadataUrl}"${error}`,
        },
      );
      return true;
    }
    if (!owner.scopes.includes("mcp")) {
      sendJson(
        res,
        403,
        { error: "insufficient_scope", error_description: "The access token lacks the mcp scope.", scope: "mcp" },
        {
          "www-authenticate": `Bearer error="insufficient_scope", scope="mcp", resource_metadata="${metadataUrl}"`,
        },
      );
      return true;
    }
    if (req.method !== "POST") {
      sendMethodNotAllowed(res);
      return true;
    }
    const body = await readJsonBody(req);
    opts.counters.mcpCalls += jsonRpcMessages(body).filter((m) => m.method === "tools/call").length;
    const auth = { token: owner.token, clientId: owner.clientId, scopes: owner.scopes, extra: { user: owner.user } };
    await serve(req, res, body, auth);
    return true;
  };
}

function buildServer(issues: IssueStore): McpServer {
  const server = new McpServer({ name: "gitlab", version: "18.6.0-test" });

  server.registerTool("get_current_user", { description: "The GitLab user this token acts as." }, (extra) => {
    const { id, username, name } = callerOf(extra);
    return json({ id, username, name });
  });

  server.registerTool(
    "create_issue",
    {
      description: "Create an issue in a project, authored by the calling user.",
      inputSchema: { project: z.string().min(1), title: z.string().min(1), description: z.string().optional() },
    },
    ({ project, title, description }, extra) => json(issues.create(project, title, description, callerOf(extra))),
  );

  server.registerTool(
    "get_issue",
    { description: "Read one issue of a project.", inputSchema: { project: z.string().min(1), iid: z.number().int().positive() } },
    ({ project, iid }) => {
      const issue = issues.get(project, iid);
      if (!issue) return { isError: true, content: [{ type: "text", text: "404 Issue Not Found" }] };
      return json(issue);
    },
  );

  return server;
}

/** The token's GitLab user, put into authInfo by the HTTP layer after it checked the token. */
function callerOf(extra: Extra): GitLabUser {
  const user = extra.authInfo?.extra?.user as GitLabUser | undefined;
  if (!user) throw new Error("no authenticated GitLab user on this request");
  return user;
}

function json(value: unknown): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value) }] };
}
