// An in-memory issue tracker, so GitLab MCP tools have something to write and read back.
import type { GitLabUser } from "./gitlab-types.js";

export interface GitLabIssue {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: "opened";
  created_at: string;
  updated_at: string;
  author: { id: number; username: string; name: string; web_url: string };
  web_url: string;
  references: { full: string };
}

export class IssueStore {
  private readonly projects = new Map<string, { id: number; issues: GitLabIssue[] }>();
  private nextIssueId = 1;

  constructor(private readonly baseUrl: string) {}

  create(project: string, title: string, description: string | undefined, author: GitLabUser): GitLabIssue {
    const entry = this.project(project);
    const now = new Date().toISOString();
    const iid = entry.issues.length + 1;
    const issue: GitLabIssue = {
      id: this.nextIssueId++,
      iid,
      project_id: entry.id,
      title,
      description: description ?? null,
      state: "opened",
      created_at: now,
      updated_at: now,
      author: { id: author.id, username: author.username, name: author.name, web_url: `${this.baseUrl}/${author.username}` },
      web_url: `${this.baseUrl}/${project}/-/issues/${iid}`,
      references: { full: `${project}#${iid}` },
    };
    entry.issues.push(issue);
    return issue;
  }

  get(project: string, iid: number): GitLabIssue | undefined {
    return this.projects.get(project)?.issues.find((i) => i.iid === iid);
  }

  private project(path: string): { id: number; issues: GitLabIssue[] } {
    let entry = this.projects.get(path);
    if (!entry) this.projects.set(path, (entry = { id: this.projects.size + 1, issues: [] }));
    return entry;
  }
}
