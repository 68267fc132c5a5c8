import { createBearerVerifier, type BearerVerifier } from "@/lib/auth/bearer";
import { env } from "@/lib/env";
import { singleton } from "@/lib/singleton";

/** The verifier for Keycloak access tokens sent to /api/mcp and /api/admin (audience MCP_AUDIENCE). */
export function inboundVerifier(): BearerVerifier {
  return singleton(
    "auth.inboundVerifier",
    () => {
      const e = env();
      return createBearerVerifier({ issuer: e.KEYCLOAK_ISSUER, audience: e.MCP_AUDIENCE, clientId: e.KEYCLOAK_CLIENT_ID });
    },
    "recreate",
  );
}
