// Who a Keycloak token says the caller is. Roles and groups are read fresh from each token.
import { env } from "@/lib/env";

export interface Identity {
  issuer: string;
  sub: string;
  username?: string;
  email?: string;
  name?: string;
  roles: string[];
  groups: string[];
  /** The OAuth client the token was issued to (Keycloak's `azp`). */
  clientId?: string;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** Keycloak: `realm_access.roles` plus `resource_access.<our client>.roles`; `groups` when a mapper adds it. */
export function identityFromClaims(claims: Record<string, unknown>, clientId = env().KEYCLOAK_CLIENT_ID): Identity {
  const realm = claims.realm_access as { roles?: unknown } | undefined;
  const resource = claims.resource_access as Record<string, { roles?: unknown }> | undefined;
  const roles = new Set([...strings(realm?.roles), ...strings(resource?.[clientId]?.roles)]);
  return {
    issuer: String(claims.iss),
    sub: String(claims.sub),
    username: str(claims.preferred_username),
    email: str(claims.email),
    name: str(claims.name),
    roles: [...roles].sort(),
    groups: strings(claims.groups).sort(),
    clientId: str(claims.azp),
  };
}

export function isAdminRoles(roles: readonly string[]): boolean {
  return roles.includes(env().ADMIN_ROLE);
}
