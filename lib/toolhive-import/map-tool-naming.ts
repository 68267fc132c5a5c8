// vMCP's aggregation settings as Gatehouse tool prefixes and allow lists. Gatehouse's names are
// `<prefix><tool>`; its conflict rule: the longest matching prefix, then the first backend by slug.
import type { ImportReport } from "@/lib/toolhive-import/map-upstream-provider";
import { vmcpField, type ToolhiveResource } from "@/lib/toolhive-import/toolhive-resources";

type Aggregation = {
  conflictResolution?: string;
  conflictResolutionConfig?: { prefixFormat?: string; priorityOrder?: string[] };
  tools?: { workload?: string; filter?: string[]; toolConfigRef?: { name?: string }; overrides?: Record<string, unknown> }[];
};

export function mapToolNaming(
  vmcp: ToolhiveResource,
  workloads: ToolhiveResource[],
  toolConfigs: ToolhiveResource[],
  report: ImportReport,
): (workload: string, slug: string) => Record<string, unknown> {
  const aggregation = vmcpField<Aggregation>(vmcp.spec, "aggregation") ?? {};
  const strategy = aggregation.conflictResolution ?? "prefix";
  const format = aggregation.conflictResolutionConfig?.prefixFormat ?? "{workload}_";
  if (strategy === "priority") {
    const order = aggregation.conflictResolutionConfig?.priorityOrder ?? [];
    report.unmapped.push(
      `conflict resolution "priority" (${order.join(" > ") || "no order"}): tools keep their own names; when two backends offer the same name Gatehouse routes it to the first backend by slug, not by this order: rename slugs or set tool prefixes where it matters`,
    );
  } else if (strategy === "manual") {
    report.unmapped.push(
      `conflict resolution "manual": per-tool renames are not supported; tools keep their own names and clashing names go to the first backend by slug`,
    );
  } else if (strategy !== "prefix") {
    report.unmapped.push(`conflict resolution "${strategy}" is unknown; prefixes {workload}_ used`);
  }
  const toolConfigsByName = new Map(toolConfigs.map((c) => [c.name, c]));
  return (workload, slug) => {
    const out: Record<string, unknown> = {};
    if (strategy === "prefix") {
      const prefix = format.replaceAll("{workload}", workload);
      if (prefix !== `${slug}_`) out.toolPrefix = /^[A-Za-z0-9_.-]{0,40}$/.test(prefix) ? prefix : `${slug}_`;
    } else out.toolPrefix = "";
    const tools = aggregation.tools?.find((t) => t.workload === workload);
    const ref =
      tools?.toolConfigRef?.name ?? (workloads.find((w) => w.name === workload)?.spec.toolConfigRef as { name?: string } | undefined)?.name;
    const toolConfig = ref ? toolConfigsByName.get(ref) : undefined;
    if (ref && !toolConfig)
      report.unmapped.push(`backend ${workload}: MCPToolConfig ${ref} is not in the files read; no tool filter imported`);
    const filter = tools?.filter ?? (toolConfig?.spec.toolsFilter as string[] | undefined);
    if (filter?.length) out.toolAllow = filter;
    if (tools?.overrides || toolConfig?.spec.toolsOverride)
      report.unmapped.push(`backend ${workload}: tool renames and description overrides are not supported`);
    return out;
  };
}
