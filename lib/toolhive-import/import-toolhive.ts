// `gatehouse import toolhive …`: a ToolHive vMCP setup (VirtualMCPServer, MCPGroup, MCPServer /
// MCPRemoteProxy / MCPServerEntry, MCPExternalAuthConfig, MCPToolConfig) as a Gatehouse configuration file.
// What has no equivalent is listed in `unmapped` with the reason; `notes` say what to set up.
import YAML from "yaml";
import { configFileSchema } from "@/lib/config-as-code/file-schema";
import { mapBackendAuth } from "@/lib/toolhive-import/map-backend-auth";
import { mapToolNaming } from "@/lib/toolhive-import/map-tool-naming";
import { mapUpstreamProvider, type ImportReport } from "@/lib/toolhive-import/map-upstream-provider";
import { groupName, readToolhiveResources, vmcpField, type ToolhiveResource } from "@/lib/toolhive-import/toolhive-resources";

const WORKLOAD_KINDS = new Set(["MCPServer", "MCPRemoteProxy", "MCPServerEntry"]);

function slugOf(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return s.length >= 2 ? s : `mcp-${s}`;
}

/** Go durations as vMCP writes them ("30s", "1m30s", "500ms") in milliseconds. */
function durationMs(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g))
    total += Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as "ms"];
  return total ? Math.min(300_000, Math.max(1000, Math.round(total))) : undefined;
}

function workloadUrl(w: ToolhiveResource, report: ImportReport): { url: string; transport: string } {
  const spec = w.spec as Record<string, unknown>;
  const transport = spec.transport === "sse" ? "sse" : "streamable_http";
  const remote = (spec.remoteURL ?? spec.remoteUrl) as string | undefined;
  if (remote) return { url: remote, transport };
  // An MCPServer runs in the cluster behind the operator's proxy Service.
  const port = (spec.proxyPort ?? spec.port ?? 8080) as number;
  const url = `http://mcp-${w.name}-proxy.${w.namespace}.svc.cluster.local:${port}/mcp`;
  report.notes.push(
    `backend ${w.name}: runs in the cluster (image ${String(spec.image ?? "?")}); its URL is taken to be ${url}: check it, and allow the host with OUTBOUND_ALLOWED_HOSTS`,
  );
  return { url, transport };
}

export function importToolhive(files: { name: string; text: string }[]): {
  yaml: string;
  config: unknown;
  notes: string[];
  unmapped: string[];
} {
  const { resources, unmapped } = readToolhiveResources(files);
  const report: ImportReport = { notes: [], unmapped };
  const of = (kind: string) => resources.filter((r) => r.kind === kind);
  const vmcps = of("VirtualMCPServer");
  if (!vmcps.length) throw new Error("no VirtualMCPServer in the files: nothing says which workloads belong together");
  const vmcp = vmcps[0]!;
  for (const other of vmcps.slice(1))
    report.unmapped.push(`VirtualMCPServer ${other.name}: only the first VirtualMCPServer (${vmcp.name}) is imported`);
  const group = groupName(vmcp.spec.groupRef);
  if (group && !of("MCPGroup").some((g) => g.name === group))
    report.notes.push(`MCPGroup ${group} is not in the files read; workloads naming it are imported all the same`);

  // Inbound: Gatehouse's sign-in issuer is deployment configuration, not part of the file.
  const incoming = vmcp.spec.incomingAuth as { oidcConfig?: Record<string, unknown> } | undefined;
  const oidc = incoming?.oidcConfig as { inline?: { issuer?: string; audience?: string }; issuer?: string } | undefined;
  const issuer = oidc?.inline?.issuer ?? oidc?.issuer;
  if (issuer)
    report.notes.push(
      `inbound: set KEYCLOAK_ISSUER=${issuer} (and KEYCLOAK_CLIENT_ID/SECRET): Gatehouse signs users in there and issues MCP clients their own tokens`,
    );
  if ((incoming as { authzConfig?: unknown } | undefined)?.authzConfig)
    report.unmapped.push(
      `VirtualMCPServer ${vmcp.name}: Cedar authorization policies have no equivalent; use each backend's visibleToRoles / visibleToGroups and tool allow/deny lists`,
    );
  for (const key of ["compositeTools", "compositeToolRefs"])
    if (vmcpField(vmcp.spec, key))
      report.unmapped.push(`VirtualMCPServer ${vmcp.name}: ${key} (workflows across backends) are not supported`);

  // Providers: every upstream of an embedded authorization server (on an MCPExternalAuthConfig or the vMCP itself).
  const providers: Record<string, unknown>[] = [];
  const providerSlugs = new Map<string, string>();
  const embedded = [
    ...of("MCPExternalAuthConfig")
      .filter((c) => c.spec.type === "embeddedAuthServer")
      .map((c) => ({ where: `MCPExternalAuthConfig ${c.name}`, spec: c.spec.embeddedAuthServer as Record<string, unknown> | undefined })),
    { where: `VirtualMCPServer ${vmcp.name}`, spec: vmcp.spec.authServerConfig as Record<string, unknown> | undefined },
  ];
  for (const { where, spec } of embedded) {
    for (const upstream of (spec?.upstreamProviders ?? []) as { name?: string }[]) {
      const provider = mapUpstreamProvider(upstream, where, report);
      if (provider && !providerSlugs.has(upstream.name ?? "")) {
        providers.push(provider);
        providerSlugs.set(upstream.name ?? "", provider.slug as string);
      }
    }
  }

  const outgoing = vmcpField<{ default?: Record<string, unknown>; backends?: Record<string, Record<string, unknown>> }>(
    vmcp.spec,
    "outgoingAuth",
  );
  const timeouts = vmcpField<{ timeouts?: { default?: string; perWorkload?: Record<string, string> } }>(vmcp.spec, "operational")?.timeouts;
  const authConfigs = new Map(of("MCPExternalAuthConfig").map((c) => [c.name, c]));
  const workloads = resources.filter((r) => WORKLOAD_KINDS.has(r.kind) && (!group || groupName(r.spec.groupRef) === group));
  for (const r of resources)
    if (WORKLOAD_KINDS.has(r.kind) && !workloads.includes(r)) report.unmapped.push(`${r.kind} ${r.name}: not in group ${group}, skipped`);
  const naming = mapToolNaming(vmcp, workloads, of("MCPToolConfig"), report);

  const backends = workloads.flatMap((w) => {
    const auth = mapBackendAuth({
      workload: w,
      inline: outgoing?.backends?.[w.name],
      fallback: outgoing?.default,
      authConfigs,
      providerSlugs,
      report,
    });
    if (!auth) {
      report.unmapped.push(`backend ${w.name}: skipped, its outgoing auth could not be mapped`);
      return [];
    }
    const { disabled, ...mode } = auth;
    const slug = slugOf(w.name);
    const timeoutMs = durationMs(timeouts?.perWorkload?.[w.name] ?? timeouts?.default);
    const { url, transport } = workloadUrl(w, report);
    return [
      {
        slug,
        displayName: w.name,
        url,
        ...(transport === "sse" ? { transport } : {}),
        ...(timeoutMs && timeoutMs !== 30_000 ? { timeoutMs } : {}),
        ...naming(w.name, slug),
        ...(disabled ? { enabled: false } : {}),
        auth: mode,
      },
    ];
  });

  const config = { version: 1, ...(providers.length ? { providers } : {}), ...(backends.length ? { backends } : {}) };
  // The result must be a file `gatehouse apply` accepts.
  const checked = configFileSchema.safeParse(config);
  if (!checked.success)
    throw new Error(
      `the imported configuration is not valid: ${checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const header = `# Imported from ToolHive (VirtualMCPServer ${vmcp.name}, ${vmcp.apiVersion}) by \`gatehouse import toolhive\`.\n`;
  return { yaml: header + YAML.stringify(config, { lineWidth: 0 }), config, notes: report.notes, unmapped: report.unmapped };
}
