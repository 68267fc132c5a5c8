// The schema of a configuration file (`gatehouse apply -f gatehouse.yaml`), built from the REST API's
// own schemas (lib/backends/backend-schema.ts, lib/providers/provider-input-schema.ts), with three
// differences: every object is strict (an unknown field is an error), a secret is a reference to an
// environment variable or a file, never the value, and a linked-account backend names its provider by slug.
import { z } from "zod";
import { authSchema, backendInputFields, refineInbound } from "@/lib/backends/backend-schema";
import { providerSchema } from "@/lib/providers/provider-input-schema";

export const INLINE_SECRET = "is an inline secret: write { env: NAME } or { file: /path/to/file } instead";

/** Where apply reads a secret: an environment variable of the `gatehouse` process, or a file (a mounted Secret). */
export const secretRefSchema = z.union(
  [
    z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name") }),
    z.strictObject({ file: z.string().startsWith("/", "must be an absolute path") }),
  ],
  {
    error: (i) => (typeof i.input === "string" || typeof i.input === "number" ? INLINE_SECRET : "must be { env: NAME } or { file: /path }"),
  },
);
export type SecretRef = z.output<typeof secretRefSchema>;

const providerSlug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "must be the slug of a provider in this file or in Gatehouse");

export const fileBackendAuthSchema = authSchema(secretRefSchema, { linkedAccount: { provider: providerSlug }, object: z.strictObject });

export const fileBackendSchema = z.strictObject({ ...backendInputFields, auth: fileBackendAuthSchema }).superRefine(refineInbound);

export const fileProviderSchema = providerSchema(secretRefSchema, z.strictObject);

export const configFileSchema = z.strictObject({
  /** The file format's version. */
  version: z.literal(1, { error: "must be 1" }),
  providers: z.array(fileProviderSchema).default([]),
  backends: z.array(fileBackendSchema).default([]),
  /** Gatehouse-wide settings an admin otherwise changes in the console; a setting left out is left alone. */
  settings: z.strictObject({ personalAccessTokens: z.boolean({ error: "must be true or false" }).optional() }).default({}),
});

export type ConfigFile = z.output<typeof configFileSchema>;
export type FileBackend = z.output<typeof fileBackendSchema>;
export type FileProvider = z.output<typeof fileProviderSchema>;
export type FileBackendAuth = z.output<typeof fileBackendAuthSchema>;
