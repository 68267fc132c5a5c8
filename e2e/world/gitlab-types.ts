// Public shapes of the GitLab-shaped test server.

export interface GitLabUser {
  id: number;
  username: string;
  name: string;
  email: string;
  password: string;
}

export interface GitLabApplication {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Scopes the application may request (GitLab's per-application scopes); all when omitted. */
  scopes?: string[];
  /** Shown on the "Authorize <name>" page; defaults to the client id. */
  name?: string;
}

export interface GitLabOptions {
  /** 0 (the default) picks a random port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  users?: GitLabUser[];
  applications?: GitLabApplication[];
  /** Defaults to 7200, GitLab's access token lifetime. */
  accessTokenTtlSeconds?: number;
  /** "both": the MCP endpoint serves 2026-07-28 next to the handshake era, as GitLab is doing. */
  mcpEras?: "handshake" | "both";
}

export interface GitLabCounters {
  /** Access tokens issued by the token endpoint (code or refresh) or by issueTokens. */
  tokensIssued: number;
  /** Successful refresh_token grants. */
  refreshes: number;
  /** refresh_token grants that failed (reused, revoked or unknown refresh token, bad client…). */
  refreshFailures: number;
  /** Revoke calls answered 200 (RFC 7009 answers 200 for unknown tokens too). */
  revocations: number;
  /** tools/call requests the MCP server accepted. */
  mcpCalls: number;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
}

export interface GitLabServer {
  /** http://127.0.0.1:PORT, the "self-managed base URL" and the OAuth issuer. */
  url: string;
  /** url + "/api/v4/mcp" */
  mcpUrl: string;
  /** Live lists: pushing a user or application makes it usable at once. */
  users: GitLabUser[];
  applications: GitLabApplication[];
  counters: GitLabCounters;
  /** Affects tokens issued afterwards. */
  setAccessTokenTtl(seconds: number): void;
  /** Mints a real grant + access + refresh token, as if the user had authorized the application. */
  issueTokens(opts: { username: string; clientId: string; scopes: string[] }): Promise<IssuedTokens>;
  /**
   * Drives the browser authorization over HTTP (fetch + cookie jar): GET the authorize URL, sign in,
   * approve (or deny), and return the final redirect Location to the app's redirect_uri, not followed.
   */
  authorizeAs(authorizeUrl: string, username: string, password: string, opts?: { deny?: boolean }): Promise<string>;
  /** true while the token (access or refresh) is still valid at the server. */
  isTokenActive(token: string): Promise<boolean>;
  close(): Promise<void>;
}
