// The OpenAPI 3.1 document for /api/admin, built from the same zod schemas the routes validate with.
import { z } from "zod";
import { configFileSchema } from "@/lib/config-as-code/file-schema";
import { adminOperations, type AdminOperation } from "@/lib/openapi/admin-operations";
import { errorSchema } from "@/lib/openapi/response-schemas";

const STATUS_TEXT: Record<number, string> = {
  400: "Not JSON, or bad query parameters",
  401: "No or bad credentials",
  403: "Not an admin; or, with a session cookie, a state change from another origin",
  404: "Not found",
  409: "Conflict: the slug is taken, or the thing is still in use",
  413: "The body is larger than BODY_LIMIT_BYTES",
  415: "The body was not sent as Content-Type: application/json",
  422: "Invalid fields; `error.fields` names each",
};

function jsonSchema(schema: z.ZodType) {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(op: AdminOperation) {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const query = op.query
    ? Object.entries(op.query.shape).map(([name, s]) => ({ name, in: "query", required: false, schema: jsonSchema(s as z.ZodType) }))
    : [];
  return [...pathParams, ...query];
}

function operation(op: AdminOperation) {
  const errorBody = { content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  const success = op.success.body
    ? { description: "OK", content: { "application/json": { schema: jsonSchema(op.success.body) } } }
    : op.success.contentType
      ? { description: "OK", content: { [op.success.contentType]: {} } }
      : { description: "Done (no body)" };
  return {
    summary: op.summary,
    operationId: `${op.method}${op.path
      .replace(/^\/api\/admin/, "")
      .replace(/[{}]/g, "")
      .replace(/[/.](\w)/g, (_, c: string) => c.toUpperCase())}`,
    parameters: parameters(op),
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } } } : {}),
    responses: {
      [op.success.status]: success,
      ...Object.fromEntries(
        [...op.errors, 401, 403, ...(op.body ? [413, 415] : [])].sort().map((s) => [s, { description: STATUS_TEXT[s], ...errorBody }]),
      ),
    },
  };
}

export function buildOpenApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of adminOperations) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: "3.1.0",
    info: {
      title: "Gatehouse admin API",
      version: "1",
      description:
        "Backends, providers, users and the audit log. Authenticate with an admin's Keycloak access token (`Authorization: Bearer`) or an admin session. Secrets are write-only: responses say only whether and when one was set.",
    },
    servers: [{ url: serverUrl }],
    security: [{ keycloak: [] }, { session: [] }],
    components: {
      securitySchemes: {
        keycloak: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "A Keycloak access token of a user with the admin role",
        },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
      schemas: {
        Error: jsonSchema(errorSchema),
        // The file `gatehouse apply -f` reads: the same backend and provider fields, secrets as references.
        GatehouseConfigFile: { ...jsonSchema(configFileSchema), description: "A configuration file for `gatehouse apply -f` (YAML)" },
      },
    },
    paths,
  };
}
