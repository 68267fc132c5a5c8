// Three MCP backends with different outgoing-auth needs, each recording what credential it received:
// open (none), static key (a service-account header) and exchange (a Keycloak JWT for its audience).
import type { IncomingMessage } from "node:http";
import { startBackend, type AuthOutcome, type TestBackend } from "./backend-server.js";
import { buildModernBackendServer } from "./backend-tools-modern.js";
import { buildBackendServer, textResult, type ToolExtra } from "./backend-tools.js";
import { bearerToken } from "./http.js";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";

export type { RecordedCall, TestBackend } from "./backend-server.js";

/** No auth. `whoami` answers `{"identity":"anonymous","authorizationPresent":<bool>}`. */
export function startOpenBackend(opts: { port?: number; name?: string; tools?: number } = {}): Promise<TestBackend> {
  const name = opts.name ?? "open";
  return startBackend({
    name,
    port: opts.port,
    authenticate: (req) => accept("anonymous", "", { authorizationPresent: req.headers.authorization !== undefined }),
    buildServer: (inflight) =>
      buildBackendServer({
        name,
        inflight,
        extraTools: opts.tools,
        promptsAndResources: true,
        whoami: (extra) =>
          textResult(JSON.stringify({ identity: "anonymous", authorizationPresent: extra.authInfo?.extra?.authorizationPresent === true })),
      }),
  });
}

/** Requires `headerName: apiKey` exactly. `whoami` answers `service-account`. */
export function startStaticKeyBackend(opts: { headerName: string; apiKey: string; port?: number }): Promise<TestBackend> {
  const header = opts.headerName.toLowerCase();
  return startBackend({
    name: "static",
    port: opts.port,
    authenticate: (req) => {
      if (req.headers[header] !== opts.apiKey) {
        return { reject: { status: 401, body: { error: "unauthorized", error_description: `missing or wrong ${opts.headerName}` } } };
      }
      return accept("service-account", opts.apiKey, {});
    },
    buildServer: (inflight) => buildBackendServer({ name: "static", inflight, whoami: () => textResult("service-account") }),
  });
}

/**
 * Requires a Bearer JWT from `issuer` (checked against its JWKS) whose `aud` contains `audience`.
 * `whoami` answers the token's `{ sub, aud, azp, preferred_username }`; the recorded identity is
 * preferred_username, or sub without it.
 */
export function startExchangeBackend(opts: {
  issuer: string;
  jwksUri: string;
  audience: string;
  port?: number;
  /** "both": 2026-07-28 served on the same URL beside the handshake era. */
  eras?: "handshake" | "both";
}): Promise<TestBackend> {
  const jwks = createRemoteJWKSet(new URL(opts.jwksUri));
  return startBackend({
    name: "exchange",
    port: opts.port,
    authenticate: async (req) => verifyJwt(req, opts, jwks),
    buildServer: (inflight) => buildBackendServer({ name: "exchange", inflight, whoami: tokenClaims }),
    buildModernServer:
      opts.eras === "both"
        ? () => buildModernBackendServer("exchange", (ctx) => claimsText((ctx.http?.authInfo?.extra?.claims ?? {}) as JWTPayload))
        : undefined,
  });
}

async function verifyJwt(
  req: IncomingMessage,
  opts: { issuer: string; audience: string },
  jwks: ReturnType<typeof createRemoteJWKSet>,
): Promise<AuthOutcome> {
  const token = bearerToken(req.headers.authorization);
  try {
    if (!token) throw new Error("no bearer token");
    const { payload } = await jwtVerify(token, jwks, { issuer: opts.issuer, audience: opts.audience });
    const identity = String(payload.preferred_username ?? payload.sub ?? "unknown");
    return accept(identity, token, { claims: payload });
  } catch (err) {
    return {
      reject: {
        status: 401,
        body: { error: "invalid_token", error_description: (err as Error).message },
        headers: { "www-authenticate": 'Bearer error="invalid_token"' },
      },
    };
  }
}

function tokenClaims(extra: ToolExtra) {
  return textResult(claimsText((extra.authInfo?.extra?.claims ?? {}) as JWTPayload));
}

function claimsText({ sub, aud, azp, preferred_username }: JWTPayload): string {
  return JSON.stringify({ sub, aud, azp, preferred_username });
}

function accept(identity: string, token: string, extra: Record<string, unknown>): AuthOutcome {
  return { identity, auth: { token, clientId: "", scopes: [], extra } };
}
