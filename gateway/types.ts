// The shapes shared by the gateway's core and its two entry points (Node handler, Web adapter).
import type { Readable } from "node:stream";
import type { Caller } from "@/lib/auth/caller";

/** A request as the core sees it, whichever server received it. */
export interface GatewayRequest {
  method: string;
  /** The URL path, e.g. /api/mcp or /api/mcp/gitlab. */
  path: string;
  /** The raw query string, without `?` ("" when none). */
  query: string;
  header(name: string): string | undefined;
  /** How many Authorization headers arrived, where the server can tell (Node's parser keeps one). */
  authorizationCount?(): number;
  body(): Promise<Buffer>;
  /**
   * Registers what to do if the client goes away before the reply is complete (called at once when
   * it already has); returns the function that unregisters it. A callback, not an AbortSignal: most
   * requests never need one, and a controller per call costs.
   */
  onAbort(listener: () => void): () => void;
}

export interface GatewayReply {
  status: number;
  headers: Record<string, string>;
  /** A string or bytes (sent with a content-length), or a stream passed through from an upstream backend. */
  body?: string | Buffer | Readable;
}

/**
 * The authenticated MCP client's user: the one Caller, plus what the inbound token says. `token` is
 * the inbound access token: it never goes upstream (only as a token exchange's subject).
 */
export interface McpCaller extends Caller {
  issuer: string;
  sub: string;
  /** The OAuth client that holds the token (Keycloak's azp). */
  clientId?: string;
  /** The client's name when the token names it (a personal access token's name; its clientId is `pat:<id>`). */
  clientName?: string;
  token: string;
  /** "gatehouse": the token came from Gatehouse's authorization server (not the IdP), so it cannot be a token exchange's subject. */
  tokenKind?: "gatehouse";
}

/** What the client said about itself at initialize, carried in the gateway's signed session id. */
export interface ClientSession {
  protocolVersion: string;
  elicitationUrl: boolean;
  /** The client's declared capabilities (what it can answer mid-call: elicitation, sampling, roots). */
  capabilities?: Record<string, unknown>;
  /** Epoch ms. */
  issuedAt: number;
  expiresAt: number;
}

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: string | number;
  method: string;
  params?: Record<string, unknown>;
}

export type JsonRpcId = string | number | null;
