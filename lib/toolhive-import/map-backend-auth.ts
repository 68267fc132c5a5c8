// Which outgoing auth a workload gets: the vMCP's per-backend entry, else the workload's own
// externalAuthConfigRef (ToolHive's "discovered" source), else the vMCP's default.
import { mapExternalAuth, type MappedAuth } from "@/lib/toolhive-import/map-external-auth";
import type { ImportReport } from "@/lib/toolhive-import/map-upstream-provider";
import { secretEnvRef } from "@/lib/toolhive-import/secret-env-name";
import type { ToolhiveResource } from "@/lib/toolhive-import/toolhive-resources";

type InlineAuth = Record<string, unknown> & { type?: string };

const INLINE_TYPES: Record<string, string> = {
  header_injection: "headerInjection",
  token_exchange: "tokenExchange",
  upstream_inject: "upstreamInject",
  unauthenticated: "unauthenticated",
};

export interface BackendAuthContext {
  workload: ToolhiveResource;
  inline: InlineAuth | undefined;
  fallback: InlineAuth | undefined;
  authConfigs: Map<string, ToolhiveResource>;
  providerSlugs: Map<string, string>;
  report: ImportReport;
}

function fromRef(name: string | undefined, ctx: BackendAuthContext): MappedAuth | undefined {
  const config = name ? ctx.authConfigs.get(name) : undefined;
  if (!config) {
    ctx.report.unmapped.push(`backend ${ctx.workload.name}: MCPExternalAuthConfig ${name ?? "(none)"} is not in the files read`);
    return undefined;
  }
  return mapExternalAuth(config, ctx.providerSlugs, ctx.report, ctx.workload.name);
}

function fromInline(auth: InlineAuth, ctx: BackendAuthContext): MappedAuth | undefined {
  const w = ctx.workload;
  switch (auth.type) {
    case "discovered":
    case undefined:
      return discovered(ctx);
    case "external_auth_config_ref":
      return fromRef((auth.externalAuthConfigRef as { name?: string } | undefined)?.name, ctx);
    case "pass_through":
      ctx.report.unmapped.push(
        `backend ${w.name}: pass_through forwards the client's token unchanged, which MCP forbids; imported disabled with no credential: choose a mode`,
      );
      return { mode: "none", disabled: true };
    case "service_account": {
      const s = (auth.serviceAccount ?? {}) as { credentialsRef?: unknown; headerName?: string; headerFormat?: string };
      if (s.headerFormat && s.headerFormat !== "{token}")
        ctx.report.notes.push(
          `backend ${w.name}: header format ${s.headerFormat}: store the formatted value (e.g. "Bearer <token>") in the variable`,
        );
      return {
        mode: "static_header",
        headerName: s.headerName ?? "Authorization",
        value: secretEnvRef(s.credentialsRef, `${w.name}-credentials`, ctx.report.notes, `backend ${w.name}`),
      };
    }
    default: {
      const kind = INLINE_TYPES[auth.type];
      if (!kind) {
        ctx.report.unmapped.push(`backend ${w.name}: outgoing auth type ${auth.type} has no Gatehouse equivalent`);
        return undefined;
      }
      const spec = { type: kind, [kind]: auth[kind] ?? auth[auth.type] };
      return mapExternalAuth(
        { ...w, kind: "MCPExternalAuthConfig", name: `${w.name} (inline)`, spec },
        ctx.providerSlugs,
        ctx.report,
        w.name,
      );
    }
  }
}

function discovered(ctx: BackendAuthContext): MappedAuth | undefined {
  const ref = (ctx.workload.spec.externalAuthConfigRef as { name?: string } | undefined)?.name;
  if (ref) return fromRef(ref, ctx);
  if (ctx.fallback && ctx.fallback.type !== "discovered") return fromInline(ctx.fallback, { ...ctx, fallback: undefined });
  return { mode: "none" };
}

export function mapBackendAuth(ctx: BackendAuthContext): MappedAuth | undefined {
  return ctx.inline ? fromInline(ctx.inline, ctx) : discovered(ctx);
}
