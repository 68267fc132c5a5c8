// Which protocol era a request is served in, as MCP's versioning rules say: the 2026-07-28 era when
// its `_meta` names that version (or, without one, its MCP-Protocol-Version header names a version
// that is not a handshake-era one), else the handshake era (initialize, Mcp-Session-Id). In the
// 2026 era each request carries the client's capabilities itself, and routing headers must agree
// with the body.
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import type { ClientSession } from "@/gateway/types";

export const MODERN_VERSION = "2026-07-28";
export const MODERN_VERSIONS = [MODERN_VERSION];
export const HANDSHAKE_VERSIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;
export type Era = "2025-11-25" | "2026-07-28";

const META_VERSION = "io.modelcontextprotocol/protocolVersion";
const META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";

type Params = Record<string, unknown> | undefined;

function metaOf(params: Params): Record<string, unknown> | undefined {
  const meta = params?._meta;
  return typeof meta === "object" && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined;
}

export function eraOf(params: Params, headerVersion: string | undefined): Era {
  const version = metaOf(params)?.[META_VERSION];
  if (typeof version === "string") return HANDSHAKE_VERSIONS.includes(version) ? "2025-11-25" : "2026-07-28";
  return headerVersion !== undefined && !HANDSHAKE_VERSIONS.includes(headerVersion) ? "2026-07-28" : "2025-11-25";
}

/** The 2026 request's own protocol version and capabilities, as a session the rest of the gateway reads; or the problem. */
export function modernSession(params: Params, headerVersion: string | undefined): ClientSession | { problem: string } {
  const meta = metaOf(params);
  const version = meta?.[META_VERSION] ?? headerVersion;
  if (typeof version !== "string" || !MODERN_VERSIONS.includes(version))
    return {
      problem: `Unsupported protocol version ${String(version)}; supported: ${[...MODERN_VERSIONS, ...HANDSHAKE_VERSIONS].join(", ")}.`,
    };
  if (headerVersion !== undefined && headerVersion !== version)
    return { problem: `The MCP-Protocol-Version header (${headerVersion}) disagrees with _meta (${version}).` };
  const raw = meta?.[META_CAPABILITIES];
  const capabilities = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const elicitation = capabilities.elicitation as Record<string, unknown> | undefined;
  const now = Date.now();
  return {
    protocolVersion: version,
    elicitationUrl: typeof elicitation?.url === "object",
    capabilities,
    issuedAt: now,
    expiresAt: now,
  };
}

/** Stamps a result for a 2026 client: `resultType`, and cache hints on the cacheable methods. */
export function modernResult(method: string, result: Record<string, unknown>): Record<string, unknown> {
  const stamped: Record<string, unknown> = { ...result, resultType: result.resultType ?? "complete" };
  if (CACHEABLE.has(method) && stamped.resultType === "complete") {
    // Lists are per user (visibility, credentials): cacheable by that client only, and briefly.
    if (typeof stamped.ttlMs !== "number") stamped.ttlMs = method === "server/discover" ? 60_000 : LIST_TTL_MS;
    if (stamped.cacheScope !== "public") stamped.cacheScope = "private";
  }
  return stamped;
}

const LIST_TTL_MS = 30_000;
const CACHEABLE = new Set([
  "tools/list",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "server/discover",
]);

/**
 * Routing headers a 2026 client sends so a proxy can route without reading the body: each present
 * one must agree with the body, or the request is refused before anything is forwarded.
 */
export function routingHeaderProblem(header: (name: string) => string | undefined, method: string, params: Params): string | undefined {
  const headerMethod = header("mcp-method");
  if (headerMethod !== undefined && headerMethod !== method)
    return `The Mcp-Method header (${headerMethod}) disagrees with the body (${method}).`;
  const headerName = header("mcp-name");
  if (headerName !== undefined) {
    const name = nameOf(method, params);
    if (name !== headerName) return `The Mcp-Name header (${headerName}) disagrees with the body (${name ?? "no name"}).`;
  }
  return undefined;
}

/** What Mcp-Name names for a method: the tool or prompt name, or the resource URI. */
export function nameOf(method: string, params: Params): string | undefined {
  const value = method === "resources/read" || method.startsWith("resources/") ? params?.uri : params?.name;
  return typeof value === "string" ? value : undefined;
}

/** A result as this era's client gets it. */
export function stampFor(era: Era, method: string, result: Record<string, unknown>): Record<string, unknown> {
  return era === "2026-07-28" ? modernResult(method, result) : result;
}
