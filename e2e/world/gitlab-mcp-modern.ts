// The GitLab-like MCP server's tools for 2026-07-28 clients (SDK v2), next to the handshake-era ones
// on the same URL, as GitLab is adding the new protocol beside the legacy one.
import type { IssueStore } from "./gitlab-issues.js";
import type { GitLabUser } from "./gitlab-types.js";
import { McpServer, type ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";

export function buildModernGitLabServer(issues: IssueStore): McpServer {
  const server = new McpServer({ name: "gitlab", version: "18.7.0-test" });
  server.registerTool("get_current_user", { description: "The GitLab user this token acts as." }, (ctx) => {
    const { id, username, name } = callerOf(ctx);
    return json({ id, username, name });
  });
  server.registerTool(
    "create_issue",
    {
      description: "Create an issue in a project, authored by the calling user.",
      inputSchema: z.object({ project: z.string().min(1), title: z.string().min(1), description: z.string().optional() }),
    },
    ({ project, title, description }, ctx) => json(issues.create(project, title, description, callerOf(ctx))),
  );
  server.registerTool(
    "get_issue",
    {
      description: "Read one issue of a project.",
      inputSchema: z.object({ project: z.string().min(1), iid: z.number().int().positive() }),
    },
    ({ project, iid }) => {
      const issue = issues.get(project, iid);
      if (!issue) return { isError: true, content: [{ type: "text" as const, text: "404 Issue Not Found" }] };
      return json(issue);
    },
  );
  return server;
}

function callerOf(ctx: ServerContext): GitLabUser {
  const user = ctx.http?.authInfo?.extra?.user as GitLabUser | undefined;
  if (!user) throw new Error("no authenticated GitLab user on this request");
  return user;
}

function json(value: unknown) {
  return { content: [{ type: "text" as const, text: JSON.stringify(value) }] };
}
