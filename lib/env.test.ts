import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";

const minimal = {
  KEYCLOAK_ISSUER: "https://sso.example.com/realms/acme/",
  KEYCLOAK_CLIENT_ID: "gatehouse",
  KEYCLOAK_CLIENT_SECRET: "s3cret",
};

function errorOf(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("parseEnv", () => {
  it("bounds the gateway's caches by default and takes other bounds, refusing tiny ones", () => {
    const e = parseEnv(minimal);
    expect(e.GATEWAY_USER_CACHE_SIZE).toBe(20_000);
    expect(e.GATEWAY_VERIFIED_TOKEN_CACHE_SIZE).toBe(20_000);
    expect(e.GATEWAY_CREDENTIAL_CACHE_SIZE).toBe(20_000);
    expect(e.GATEWAY_LIST_CACHE_MB).toBe(32);
    expect(parseEnv({ ...minimal, GATEWAY_USER_CACHE_SIZE: "500", GATEWAY_LIST_CACHE_MB: "0" })).toMatchObject({
      GATEWAY_USER_CACHE_SIZE: 500,
      GATEWAY_LIST_CACHE_MB: 0,
    });
    expect(errorOf({ ...minimal, GATEWAY_CREDENTIAL_CACHE_SIZE: "10" })).toMatch(/GATEWAY_CREDENTIAL_CACHE_SIZE must be at least 100/);
  });

  it("fills defaults from the three required variables", () => {
    const e = parseEnv(minimal);
    expect(e.KEYCLOAK_ISSUER).toBe("https://sso.example.com/realms/acme");
    expect(e.APP_URL).toBe("http://localhost:3000");
    expect(e.MCP_AUDIENCE).toBe("gatehouse");
    expect(e.MCP_ALLOWED_ORIGINS).toEqual(["http://localhost:3000"]);
    expect(e.ADMIN_ROLE).toBe("gatehouse-admin");
    expect(e.DATA_DIR).toBe("./data");
    expect(e.DATABASE_URL).toBeUndefined();
  });

  it("reads the security settings, with their defaults and their bounds", () => {
    expect(parseEnv(minimal)).toMatchObject({
      SESSION_ROLES_REFRESH_SECONDS: 300,
      BODY_LIMIT_BYTES: 1024 * 1024,
      MCP_BODY_LIMIT_BYTES: 4 * 1024 * 1024,
    });
    expect(
      parseEnv({ ...minimal, SESSION_ROLES_REFRESH_SECONDS: "60", BODY_LIMIT_BYTES: "2048", MCP_BODY_LIMIT_BYTES: "8388608" }),
    ).toMatchObject({
      SESSION_ROLES_REFRESH_SECONDS: 60,
      BODY_LIMIT_BYTES: 2048,
      MCP_BODY_LIMIT_BYTES: 8388608,
    });
    expect(errorOf({ ...minimal, SESSION_ROLES_REFRESH_SECONDS: "0" })).toBe(
      "Configuration error: SESSION_ROLES_REFRESH_SECONDS must be at least 1 (seconds)",
    );
    expect(errorOf({ ...minimal, BODY_LIMIT_BYTES: "10" })).toBe("Configuration error: BODY_LIMIT_BYTES must be at least 1024 (bytes)");
    expect(errorOf({ ...minimal, MCP_BODY_LIMIT_BYTES: "lots" })).toMatch(/^Configuration error: MCP_BODY_LIMIT_BYTES /);
  });

  it("names a missing variable in one line", () => {
    const message = errorOf({ KEYCLOAK_ISSUER: minimal.KEYCLOAK_ISSUER, KEYCLOAK_CLIENT_ID: "gatehouse" });
    expect(message).toBe("Configuration error: KEYCLOAK_CLIENT_SECRET is required");
    expect(message).not.toContain("\n");
  });

  it("names a malformed variable and what is wrong with it", () => {
    expect(errorOf({ ...minimal, KEYCLOAK_ISSUER: "sso.example.com" })).toMatch(
      /^Configuration error: KEYCLOAK_ISSUER must be an absolute URL/,
    );
    expect(errorOf({ ...minimal, PORT: "eighty" })).toMatch(/^Configuration error: PORT /);
    expect(errorOf({ ...minimal, DATABASE_URL: "mysql://db/x" })).toMatch(/DATABASE_URL must start with postgres:\/\//);
    expect(errorOf({ ...minimal, GATEHOUSE_KEYS: "no-colon" })).toMatch(/GATEHOUSE_KEYS must be kid:base64key/);
    expect(errorOf({ ...minimal, LOG_LEVEL: "loud" })).toMatch(/^Configuration error: LOG_LEVEL /);
  });

  it("refuses production without keys or a session secret", () => {
    expect(errorOf({ ...minimal, NODE_ENV: "production" })).toMatch(/GATEHOUSE_KEYS is required in production/);
    expect(errorOf({ ...minimal, NODE_ENV: "production", GATEHOUSE_KEYS: `k1:${Buffer.alloc(32).toString("base64")}` })).toMatch(
      /AUTH_SECRET is required in production/,
    );
  });

  it("defaults the authorization server's settings, and refuses its development allowance in production", () => {
    const e = parseEnv(minimal);
    expect(e).toMatchObject({
      ACCEPT_KEYCLOAK_TOKENS: true,
      OAUTH_ACCESS_TOKEN_TTL_SECONDS: 600,
      OAUTH_REVOCATION_POLL_MS: 500,
      OAUTH_REGISTRATIONS_PER_MINUTE: 10,
      OAUTH_ALLOW_HTTP_CLIENT_METADATA: false,
    });
    expect(parseEnv({ ...minimal, ACCEPT_KEYCLOAK_TOKENS: "false" }).ACCEPT_KEYCLOAK_TOKENS).toBe(false);
    const production = {
      ...minimal,
      NODE_ENV: "production",
      GATEHOUSE_KEYS: `k1:${Buffer.alloc(32).toString("base64")}`,
      AUTH_SECRET: "x".repeat(32),
    };
    expect(errorOf({ ...production, OAUTH_ALLOW_HTTP_CLIENT_METADATA: "true" })).toMatch(
      /OAUTH_ALLOW_HTTP_CLIENT_METADATA is for development only/,
    );
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ ...minimal, DATABASE_URL: "", APP_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("never echoes a secret value in its error", () => {
    expect(errorOf({ ...minimal, AUTH_SECRET: "short-but-secret" })).not.toContain("short-but-secret");
  });
});
