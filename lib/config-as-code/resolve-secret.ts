import { readFileSync } from "node:fs";
import type { SecretRef } from "@/lib/config-as-code/file-schema";

/** Where secret references are looked up: the CLI passes its own environment; tests pass their own. */
export interface SecretSources {
  environment: Record<string, string | undefined>;
  readFile?: (path: string) => string;
}

/** A secret reference's value; an error names the field and what is missing, never a value. */
export function resolveSecret(ref: SecretRef, sources: SecretSources, field: string): string {
  if ("env" in ref) {
    const value = sources.environment[ref.env];
    if (!value) throw new Error(`${field}: the environment variable ${ref.env} is not set`);
    return value;
  }
  try {
    // A mounted Kubernetes Secret or a file written by `echo`: the trailing newline is not part of it.
    const value = (sources.readFile ?? ((p) => readFileSync(p, "utf8")))(ref.file).replace(/\r?\n$/, "");
    if (!value) throw new Error("empty");
    return value;
  } catch (e) {
    throw new Error(`${field}: cannot read the secret file ${ref.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
