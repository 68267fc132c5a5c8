// The realm's data: users, clients, and the claims Keycloak's default mappers put into tokens.
import type { KeyObject } from "node:crypto";

export interface KeycloakUser {
  username: string;
  password: string;
  sub: string;
  email: string;
  name: string;
  realmRoles: string[];
  groups: string[];
  clientRoles?: Record<string, string[]>;
  /** A disabled user cannot sign in, and their sessions' refresh tokens stop working (as in Keycloak). */
  disabled?: boolean;
}

export interface KeycloakClient {
  clientId: string;
  clientSecret?: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** audiences this client may obtain by token exchange (like Keycloak audience mappers on its client scopes) */
  exchangeAudiences?: string[];
  public?: boolean;
}

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

/** Keycloak 26's built-in client scopes; a request for any other scope is refused as Keycloak does. */
export const KEYCLOAK_SCOPES = [
  "openid",
  "offline_access",
  "profile",
  "email",
  "roles",
  "web-origins",
  "acr",
  "basic",
  "address",
  "phone",
  "microprofile-jwt",
  "organization",
];
/** Default client scopes: Keycloak adds them to every token whether or not they were asked for. */
export const DEFAULT_SCOPES = ["profile", "email"];

export const defaultKeycloakUsers: KeycloakUser[] = [
  {
    username: "alice",
    password: "alice-password",
    sub: "6f1c2b0e-2a4d-4c55-9a51-8d1c7f0a1a01",
    email: "alice@example.com",
    name: "Alice Anders",
    realmRoles: ["user"],
    groups: ["/engineering"],
  },
  {
    username: "bob",
    password: "bob-password",
    sub: "0b7d9e3a-5c1f-4e2b-8f6a-2e4d6c8a0b02",
    email: "bob@example.com",
    name: "Bob Berg",
    realmRoles: ["user"],
    groups: ["/sales"],
  },
  {
    username: "admin",
    password: "admin-password",
    sub: "a3e5c7d9-1b2f-4a6c-8e0d-4f6a8c0e2d03",
    email: "admin@example.com",
    name: "Ada Admin",
    realmRoles: ["user", "gatehouse-admin"],
    groups: ["/platform"],
  },
];

/** Everything the realm's handlers share. One per running server. */
export interface RealmState {
  realm: string;
  /** `http://host:port` */
  url: string;
  /** `/realms/<realm>` */
  realmPath: string;
  issuer: string;
  users: KeycloakUser[];
  clients: KeycloakClient[];
  accessTokenTtlSeconds: number;
  keys: { kid: string; privateKey: KeyObject; publicKey: KeyObject };
  counters: { tokenExchanges: number; passwordGrants: number; refreshGrants: number };
  /**
   * oidc-provider gives an access token one audience string; Keycloak's exchanged tokens can carry
   * several. The grant handler records the full list here and the JWT customizer writes it out.
   */
  audienceOverrides: WeakMap<object, string[]>;
}

/** Keycloak lets people sign in with the username (case-insensitive) or the email address. */
export function findUserByLogin(users: readonly KeycloakUser[], login: string): KeycloakUser | undefined {
  const wanted = login.trim().toLowerCase();
  return users.find((u) => !u.disabled && (u.username.toLowerCase() === wanted || u.email.toLowerCase() === wanted));
}

export function findUserBySub(users: readonly KeycloakUser[], sub: string | undefined): KeycloakUser | undefined {
  return users.find((u) => u.sub === sub && !u.disabled);
}

export function findClient(clients: readonly KeycloakClient[], clientId: string | undefined): KeycloakClient | undefined {
  return clients.find((c) => c.clientId === clientId);
}

/** The claims Keycloak's default mappers (profile, email, roles, groups) add about a user. */
export function userClaims(user: KeycloakUser): Record<string, unknown> {
  const [given, ...family] = user.name.split(" ");
  const resourceAccess = Object.fromEntries(
    Object.entries(user.clientRoles ?? {}).map(([clientId, roles]) => [clientId, { roles: [...roles] }]),
  );
  return {
    preferred_username: user.username,
    email: user.email,
    email_verified: true,
    name: user.name,
    given_name: given,
    family_name: family.join(" ") || undefined,
    realm_access: { roles: [...user.realmRoles] },
    resource_access: resourceAccess,
    groups: [...user.groups],
  };
}

/** Claim names, for the provider's scope → claims table and discovery's claims_supported. */
export const USER_CLAIM_NAMES = [
  "sub",
  "preferred_username",
  "email",
  "email_verified",
  "name",
  "given_name",
  "family_name",
  "realm_access",
  "resource_access",
  "groups",
];

/** Requested scopes plus Keycloak's default client scopes, without duplicates. */
export function withDefaultScopes(requested: string | undefined): string {
  const scopes = (requested ?? "").split(" ").filter(Boolean);
  return [...new Set([...scopes, ...DEFAULT_SCOPES])].join(" ");
}

/** Scopes outside Keycloak's client scopes, for an `invalid_scope` answer. */
export function unknownScopes(requested: string | undefined): string[] {
  return (requested ?? "").split(" ").filter((s) => s && !KEYCLOAK_SCOPES.includes(s));
}
