// The verifier for a backend's optional extra trusted issuer, accepted at /api/mcp/<slug> only.
// Its JWKS location comes from the issuer's OpenID discovery document (Keycloak's path otherwise).
import { createBearerVerifier, type BearerVerifier } from "@/lib/auth/bearer";
import { log } from "@/lib/log";
import { safeFetch } from "@/lib/net/safe-fetch";
import { singleton } from "@/lib/singleton";

const DISCOVERY_TIMEOUT_MS = 5_000;
const verifiers = singleton("gateway.backendVerifiers", () => new Map<string, Promise<BearerVerifier>>());

export function backendVerifier(inbound: { issuer: string; audience: string }): Promise<BearerVerifier> {
  const key = `${inbound.issuer} ${inbound.audience}`;
  let verifier = verifiers.get(key);
  if (!verifier) {
    verifier = discoverJwksUri(inbound.issuer).then((jwksUri) =>
      createBearerVerifier({ issuer: inbound.issuer, audience: inbound.audience, jwksUri, clientId: inbound.audience, fetch: safeFetch }),
    );
    verifiers.set(key, verifier);
  }
  return verifier;
}

async function discoverJwksUri(issuer: string): Promise<string | undefined> {
  try {
    const res = await safeFetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
    const doc = (await res.json()) as { jwks_uri?: unknown };
    if (res.ok && typeof doc.jwks_uri === "string") return doc.jwks_uri;
  } catch (e) {
    log.warn({ issuer, err: (e as Error).message }, "OpenID discovery failed for a backend's inbound issuer; trying Keycloak's JWKS path");
  }
  return undefined;
}
