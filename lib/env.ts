// The one place that reads process.env. Everything else calls env().
import { z } from "zod";
import { resetSingletons } from "@/lib/singleton";

const csv = z
  .string()
  .optional()
  .transform((v) =>
    v
      ? v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  );

const bool = (name: string) =>
  z
    .enum(["true", "false", "1", "0"], { message: `must be true or false (${name})` })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1"));

// host, host:port, [v6]:port; an `http://` prefix also lets plain http reach that host.
const OUTBOUND_HOST = /^(http:\/\/)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$/;

/** The gateway caches' default bound (entries each): 10,000 active users fit well under 300 MB. */
export const CACHE_SIZE_DEFAULT = 20_000;

const url = (what: string) => z.url({ message: `must be an absolute URL (${what})` });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    APP_URL: url("the public URL of this app, e.g. https://gatehouse.example.com").optional(),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    KEYCLOAK_ISSUER: url("the realm issuer, e.g. https://sso.example.com/realms/acme"),
    KEYCLOAK_CLIENT_ID: z.string().min(1, "is required"),
    KEYCLOAK_CLIENT_SECRET: z.string().min(1, "is required"),
    ADMIN_ROLE: z.string().min(1).default("gatehouse-admin"),
    MCP_AUDIENCE: z.string().min(1).optional(),
    MCP_ALLOWED_ORIGINS: csv,
    MCP_ALLOWED_HOSTS: csv,
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql:// (unset it for the embedded database)")
      .optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    GATEHOUSE_KEYS: z
      .string()
      .regex(
        /^\s*[A-Za-z0-9_-]+:[A-Za-z0-9+/=_-]+\s*(,\s*[A-Za-z0-9_-]+:[A-Za-z0-9+/=_-]+\s*)*$/,
        "must be kid:base64key[,kid:base64key…] (the first key is the active one)",
      )
      .optional(),
    // How long a portal session trusts the roles it read from Keycloak before re-reading them.
    SESSION_ROLES_REFRESH_SECONDS: z.coerce.number().int().min(1, "must be at least 1 (seconds)").default(300),
    // Request body limits, enforced while the body streams in (see lib/http/body-limit.ts).
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024, "must be at least 1024 (bytes)")
      .default(1024 * 1024),
    MCP_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024, "must be at least 1024 (bytes)")
      .default(4 * 1024 * 1024),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // How long a SIGTERM waits for in-flight calls and streams before the process exits.
    // How long tools/list (and the other lists) wait for one backend before serving its last good list.
    LIST_BUDGET_MS: z.coerce.number().int().min(50).max(60_000).default(1_500),
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(25),
    // Gatehouse's own authorization server for MCP clients (lib/oauth-server).
    ACCEPT_KEYCLOAK_TOKENS: z
      .enum(["true", "false"], { message: "must be true or false" })
      .default("true")
      .transform((v) => v === "true"),
    OAUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
    OAUTH_REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(30 * 86_400),
    OAUTH_REVOCATION_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
    // Personal access tokens: the longest life a user may give one.
    PAT_MAX_DAYS: z.coerce.number().int().min(1, "must be at least 1 (days)").max(3650, "must be at most 3650 (days)").default(90),
    OAUTH_REGISTRATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    OAUTH_ALLOW_HTTP_CLIENT_METADATA: z
      .enum(["true", "false"], { message: "must be true or false" })
      .default("false")
      .transform((v) => v === "true"),
    OUTBOUND_ALLOW_LOOPBACK: bool("loopback hosts for outbound requests"),
    OUTBOUND_ALLOWED_HOSTS: csv.refine((hosts) => hosts.every((h) => OUTBOUND_HOST.test(h)), {
      message:
        "must be a comma-separated list of host or host:port (prefix http:// to allow plain http to it), e.g. search.internal:8443,http://tickets.svc:8080",
    }),
    MCP_SESSION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60, "must be at least 60")
      .max(30 * 86400, "must be at most 2592000 (30 days)")
      .default(86400),
    // The gateway's in-memory caches (LRU): sized so 10,000 active users fit in well under 300 MB.
    GATEWAY_USER_CACHE_SIZE: z.coerce.number().int().min(100, "must be at least 100 (users)").default(CACHE_SIZE_DEFAULT),
    GATEWAY_VERIFIED_TOKEN_CACHE_SIZE: z.coerce.number().int().min(100, "must be at least 100 (tokens)").default(CACHE_SIZE_DEFAULT),
    GATEWAY_CREDENTIAL_CACHE_SIZE: z.coerce.number().int().min(100, "must be at least 100 (tokens)").default(CACHE_SIZE_DEFAULT),
    GATEWAY_LIST_CACHE_MB: z.coerce.number().min(0, "must be at least 0 (MB; 0 turns the cache off)").max(4096).default(32),
    MCP_LIST_PAGE_SIZE: z.coerce.number().int().min(1, "must be at least 1").max(10_000, "must be at most 10000").default(500),
    // Observe (lib/metrics, lib/tracing): /metrics is served only when one of these is set.
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (openssl rand -hex 24)").optional(),
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    METRICS_HOST: z.string().min(1).optional(),
    // OpenTelemetry's own variable names (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
    OTEL_TRACES_ENABLED: bool("OpenTelemetry traces"),
    OTEL_SDK_DISABLED: bool("the OpenTelemetry SDK"),
    OTEL_TRACES_EXPORTER: z.enum(["otlp", "none"], { message: "must be otlp or none" }).default("otlp"),
    OTEL_EXPORTER_OTLP_ENDPOINT: url("the OTLP/HTTP collector base URL, e.g. http://otel-collector:4318").optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url("the OTLP/HTTP traces URL, e.g. http://otel-collector:4318/v1/traces").optional(),
    OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default("gatehouse"),
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  })
  .transform((e) => {
    const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
    return {
      ...e,
      APP_URL: appUrl,
      MCP_AUDIENCE: e.MCP_AUDIENCE ?? e.KEYCLOAK_CLIENT_ID,
      MCP_ALLOWED_ORIGINS: e.MCP_ALLOWED_ORIGINS.length ? e.MCP_ALLOWED_ORIGINS : [new URL(appUrl).origin],
      KEYCLOAK_ISSUER: e.KEYCLOAK_ISSUER.replace(/\/$/, ""),
      // The test world and local servers listen on 127.0.0.1; production reaches loopback only when told.
      OUTBOUND_ALLOW_LOOPBACK: e.OUTBOUND_ALLOW_LOOPBACK ?? e.NODE_ENV !== "production",
      METRICS_HOST: e.METRICS_HOST ?? e.HOST,
      // On when asked for, or when a collector is named; OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none win.
      OTEL_TRACES_ENABLED:
        !e.OTEL_SDK_DISABLED &&
        e.OTEL_TRACES_EXPORTER !== "none" &&
        (e.OTEL_TRACES_ENABLED ?? Boolean(e.OTEL_EXPORTER_OTLP_ENDPOINT || e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)),
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:
        e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
        `${(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? "http://localhost:4318").replace(/\/$/, "")}/v1/traces`,
    };
  })
  .superRefine((e, ctx) => {
    if (e.NODE_ENV !== "production") return;
    if (!e.GATEHOUSE_KEYS)
      ctx.addIssue({ code: "custom", path: ["GATEHOUSE_KEYS"], message: "is required in production (see README: Keys)" });
    if (!e.AUTH_SECRET)
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production (openssl rand -base64 32)" });
    if (e.OAUTH_ALLOW_HTTP_CLIENT_METADATA) {
      ctx.addIssue({
        code: "custom",
        path: ["OAUTH_ALLOW_HTTP_CLIENT_METADATA"],
        message: "is for development only: client metadata documents are fetched over https in production",
      });
    }
  });

export type Env = z.infer<typeof schema>;

/** A misconfiguration: its message is the one line start-up prints. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset", as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const message = issue.code === "invalid_type" && cleaned[name] === undefined ? "is required" : issue.message;
  throw new ConfigError(`Configuration error: ${name} ${message}`);
}

const cache = Symbol.for("gatehouse.env");
type Holder = { [cache]?: Env };

/** The validated configuration, read once per process. */
export function env(): Env {
  const holder = globalThis as Holder;
  return (holder[cache] ??= parseEnv(process.env));
}

/** For tests that start the app in-process with their own configuration. */
export function setEnvForTests(source: Record<string, string | undefined>): Env {
  const holder = globalThis as Holder;
  holder[cache] = parseEnv(source);
  // Whatever was built from the previous configuration must be rebuilt from this one.
  resetSingletons();
  return holder[cache];
}
