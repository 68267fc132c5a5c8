import type { SecretRef } from "@/lib/config-as-code/file-schema";

/**
 * A Kubernetes Secret reference ({ name, key }) becomes an environment variable reference: the operator
 * maps the Secret into Gatehouse's environment (the Helm chart's secrets.extra or existingSecret).
 */
export function secretEnvRef(ref: unknown, fallback: string, notes: string[], where: string): SecretRef {
  const r = (ref ?? {}) as { name?: string; key?: string };
  const env = `${r.name ?? fallback}_${r.key ?? "value"}`.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
  notes.push(
    `${where}: the secret is read from the environment variable ${env}${r.name ? ` (Kubernetes Secret ${r.name}, key ${r.key ?? "?"})` : ""}`,
  );
  return { env };
}
