// One MCPExternalAuthConfig (or a vMCP inline backend auth) becomes a Gatehouse outgoing auth mode.
import type { ImportReport } from "@/lib/toolhive-import/map-upstream-provider";
import { secretEnvRef } from "@/lib/toolhive-import/secret-env-name";
import type { ToolhiveResource } from "@/lib/toolhive-import/toolhive-resources";

export type MappedAuth = Record<string, unknown> & { mode: string };

const DEFAULT_SUBJECT_TYPES = new Set([undefined, "", "access_token", "urn:ietf:params:oauth:token-type:access_token"]);

/** `providerSlugs`: upstream provider name → Gatehouse provider slug, for upstreamInject. */
export function mapExternalAuth(
  config: ToolhiveResource,
  providerSlugs: Map<string, string>,
  report: ImportReport,
  backend: string,
): MappedAuth | undefined {
  const spec = config.spec as Record<string, Record<string, unknown> | string | undefined>;
  const where = `backend ${backend} (MCPExternalAuthConfig ${config.name})`;
  switch (spec.type) {
    case "unauthenticated":
      return { mode: "none" };
    case "headerInjection": {
      const h = (spec.headerInjection ?? {}) as { headerName?: string; valueSecretRef?: unknown };
      return {
        mode: "static_header",
        headerName: h.headerName ?? "Authorization",
        value: secretEnvRef(h.valueSecretRef, config.name, report.notes, where),
      };
    }
    case "bearerToken": {
      const b = (spec.bearerToken ?? {}) as { tokenSecretRef?: unknown };
      const value = secretEnvRef(b.tokenSecretRef, config.name, report.notes, where);
      report.notes.push(
        `${where}: the header is sent as the variable's whole value: put "Bearer <token>" in ${"env" in value ? value.env : "it"}`,
      );
      return { mode: "static_header", headerName: "Authorization", value };
    }
    case "tokenExchange": {
      const t = (spec.tokenExchange ?? {}) as {
        tokenUrl?: string;
        clientId?: string;
        clientSecretRef?: unknown;
        audience?: string;
        scopes?: string[];
        subjectTokenType?: string;
        externalTokenHeaderName?: string;
        subjectProviderName?: string;
      };
      if (!t.clientId || !t.clientSecretRef || !t.audience) {
        report.unmapped.push(
          `${where}: token exchange without a client id and secret (e.g. workload identity federation) is not supported; Gatehouse exchanges as a confidential client`,
        );
        return undefined;
      }
      if (!DEFAULT_SUBJECT_TYPES.has(t.subjectTokenType))
        report.unmapped.push(`${where}: subjectTokenType ${t.subjectTokenType} ignored: Gatehouse always sends the user's access token`);
      if (t.externalTokenHeaderName)
        report.unmapped.push(
          `${where}: externalTokenHeaderName ${t.externalTokenHeaderName} ignored: the exchanged token goes in Authorization`,
        );
      if (t.subjectProviderName)
        report.unmapped.push(
          `${where}: subjectProviderName ${t.subjectProviderName} ignored: the subject token is the user's Keycloak token`,
        );
      return {
        mode: "token_exchange",
        ...(t.tokenUrl ? { tokenEndpoint: t.tokenUrl } : {}),
        clientId: t.clientId,
        audience: t.audience,
        ...(t.scopes?.length ? { scope: t.scopes.join(" ") } : {}),
        clientSecret: secretEnvRef(t.clientSecretRef, `${config.name}-client`, report.notes, where),
      };
    }
    case "upstreamInject": {
      const name = (spec.upstreamInject as { providerName?: string } | undefined)?.providerName;
      const provider = name ? providerSlugs.get(name) : undefined;
      if (!provider) {
        report.unmapped.push(
          `${where}: upstream provider ${name ?? "(none)"} is not defined by any embedded auth server in the files read`,
        );
        return undefined;
      }
      return { mode: "linked_account", provider };
    }
    default:
      report.unmapped.push(`${where}: type ${String(spec.type)} has no Gatehouse equivalent`);
      return undefined;
  }
}
