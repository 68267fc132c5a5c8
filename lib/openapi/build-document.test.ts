import "@/testkit/preset";
import { describe, expect, it } from "vitest";
import { findAdminRouteFiles } from "@/lib/openapi/admin-routes";
import { buildOpenApiDocument } from "@/lib/openapi/build-document";

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument("https://gatehouse.example.com");
  const documented = Object.entries(doc.paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
  const routes = findAdminRouteFiles();

  it("finds the admin routes on disk", () => {
    expect(routes.length).toBeGreaterThanOrEqual(12);
    expect(routes.map((r) => r.path)).toContain("/api/admin/backends/{id}/test");
    expect(routes.every((r) => r.methods.length > 0)).toBe(true);
  });

  it("documents every method of every admin route, and nothing that does not exist", () => {
    const onDisk = routes.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)).sort();
    expect(documented).toEqual(onDisk);
  });

  it("is OpenAPI 3.1 with request schemas from the zod schemas", () => {
    expect(doc.openapi).toBe("3.1.0");
    const create = doc.paths["/api/admin/backends"]!.post as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown>; required: string[] } } } };
    };
    const schema = create.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(expect.arrayContaining(["slug", "displayName", "url", "auth"]));
    const modes = (schema.properties.auth as { oneOf: { properties: { mode: { const: string } } }[] }).oneOf.map(
      (o) => o.properties.mode.const,
    );
    expect(modes).toEqual(["none", "static_header", "token_exchange", "linked_account", "client_credentials"]);
    const test = doc.paths["/api/admin/backends/{id}/test"]!.post as {
      parameters: { name: string; in: string }[];
      responses: Record<string, unknown>;
    };
    expect(test.parameters).toEqual([expect.objectContaining({ name: "id", in: "path" })]);
    expect(Object.keys(test.responses)).toEqual(["200", "401", "403", "404"]);
  });

  it("never describes a secret as something responses return", () => {
    const backend = JSON.stringify((doc.paths["/api/admin/backends/{id}"]!.get as { responses: { 200: unknown } }).responses[200]);
    expect(backend).toContain("secretSetAt");
    expect(backend).not.toMatch(/"(value|clientSecret|secretEnc)"/);
  });

  it("describes the configuration file with the same backend fields, secrets only as references", () => {
    const file = doc.components.schemas.GatehouseConfigFile as unknown as { properties: Record<string, { items?: unknown }> };
    const backend = JSON.stringify(file.properties.backends!.items);
    expect(backend).toContain("visibleToRoles");
    expect(backend).toContain("client_credentials");
    // A secret is an object naming an env variable or a file, never a string.
    expect(backend).toMatch(/"env":\{"type":"string"/);
    expect(backend).toMatch(/"file":\{"type":"string"/);
  });
});
