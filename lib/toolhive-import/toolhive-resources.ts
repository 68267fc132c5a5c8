// Reads ToolHive operator resources (toolhive.stacklok.dev v1alpha1 and v1beta1) from YAML files:
// multi-document files and `kind: List` are both accepted; other apiVersions or kinds are reported.
import YAML from "yaml";

export const TOOLHIVE_KINDS = [
  "VirtualMCPServer",
  "MCPGroup",
  "MCPServer",
  "MCPRemoteProxy",
  "MCPServerEntry",
  "MCPExternalAuthConfig",
  "MCPToolConfig",
] as const;
export type ToolhiveKind = (typeof TOOLHIVE_KINDS)[number];
const API_VERSION = /^toolhive\.stacklok\.dev\/(v1alpha1|v1beta1)$/;

/** A resource as written; fields are read defensively because the two API versions differ. */
export interface ToolhiveResource {
  kind: ToolhiveKind;
  apiVersion: string;
  name: string;
  namespace: string;
  spec: Record<string, unknown>;
  /** Where it came from, for messages. */
  source: string;
}

export function readToolhiveResources(files: { name: string; text: string }[]): { resources: ToolhiveResource[]; unmapped: string[] } {
  const resources: ToolhiveResource[] = [];
  const unmapped: string[] = [];
  for (const file of files) {
    for (const doc of YAML.parseAllDocuments(file.text)) {
      if (doc.errors.length) throw new Error(`${file.name}: ${doc.errors[0]!.message.split("\n")[0]}`);
      const value = doc.toJS() as Record<string, unknown> | null;
      if (!value) continue;
      const items = value.kind === "List" && Array.isArray(value.items) ? (value.items as Record<string, unknown>[]) : [value];
      for (const item of items) {
        const metadata = (item.metadata ?? {}) as { name?: string; namespace?: string };
        const where = `${file.name}: ${String(item.kind)} ${metadata.name ?? "(no name)"}`;
        if (typeof item.apiVersion !== "string" || !API_VERSION.test(item.apiVersion)) {
          unmapped.push(`${where}: apiVersion ${String(item.apiVersion)} is not a ToolHive resource`);
          continue;
        }
        if (!TOOLHIVE_KINDS.includes(item.kind as ToolhiveKind)) {
          unmapped.push(`${where}: Gatehouse has no equivalent of ${String(item.kind)}`);
          continue;
        }
        if (!metadata.name) throw new Error(`${where}: metadata.name is missing`);
        resources.push({
          kind: item.kind as ToolhiveKind,
          apiVersion: item.apiVersion,
          name: metadata.name,
          namespace: metadata.namespace ?? "default",
          spec: (item.spec ?? {}) as Record<string, unknown>,
          source: file.name,
        });
      }
    }
  }
  return { resources, unmapped };
}

/** `groupRef` is a string in older v1alpha1 MCPServers and `{ name }` elsewhere. */
export function groupName(ref: unknown): string | undefined {
  if (typeof ref === "string") return ref;
  if (ref && typeof ref === "object" && typeof (ref as { name?: unknown }).name === "string") return (ref as { name: string }).name;
  return undefined;
}

/** A field of the VirtualMCPServer spec: top level in v1alpha1, under `config` in later versions. */
export function vmcpField<T>(spec: Record<string, unknown>, key: string): T | undefined {
  return (spec[key] ?? (spec.config as Record<string, unknown> | undefined)?.[key]) as T | undefined;
}
