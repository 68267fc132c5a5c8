// An upstream IdP of ToolHive's embedded authorization server becomes a Gatehouse provider: users link
// their own account there once, and backends that ToolHive fed with `upstreamInject` get that user's token.
import { secretEnvRef } from "@/lib/toolhive-import/secret-env-name";

export interface ImportReport {
  notes: string[];
  unmapped: string[];
}

type Upstream = {
  name?: string;
  type?: string;
  oidcConfig?: { issuerUrl?: string; clientId?: string; clientSecretRef?: unknown; scopes?: string[] };
  oauth2Config?: {
    authorizationEndpoint?: string;
    tokenEndpoint?: string;
    userInfo?: { endpointUrl?: string };
    clientId?: string;
    clientSecretRef?: unknown;
    scopes?: string[];
  };
};

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

/** The provider entry of a Gatehouse file for one upstream, or undefined (reported) when it cannot be mapped. */
export function mapUpstreamProvider(upstream: Upstream, where: string, report: ImportReport): Record<string, unknown> | undefined {
  const name = upstream.name ?? "upstream";
  const here = `${where} upstream ${name}`;
  const slug = slugOf(name);
  if (upstream.type === "oidc" && upstream.oidcConfig?.issuerUrl && upstream.oidcConfig.clientId) {
    const o = upstream.oidcConfig;
    return {
      slug,
      kind: "oidc",
      displayName: name,
      baseUrl: o.issuerUrl,
      clientId: o.clientId,
      ...(o.scopes?.length ? { scopes: o.scopes } : {}),
      clientSecret: secretEnvRef(o.clientSecretRef, `${slug}-client`, report.notes, here),
    };
  }
  const o = upstream.oauth2Config;
  if (upstream.type === "oauth2" && o?.tokenEndpoint && o.authorizationEndpoint && o.clientId) {
    const token = new URL(o.tokenEndpoint);
    // GitLab's endpoints sit at fixed paths under its base URL: the gitlab kind knows its identity and revocation calls.
    if (
      token.pathname.endsWith("/oauth/token") &&
      o.authorizationEndpoint.endsWith("/oauth/authorize") &&
      /gitlab/i.test(`${name} ${token.host}`)
    ) {
      return {
        slug,
        kind: "gitlab",
        displayName: name,
        baseUrl: o.tokenEndpoint.replace(/\/oauth\/token$/, ""),
        clientId: o.clientId,
        ...(o.scopes?.length ? { scopes: o.scopes } : {}),
        clientSecret: secretEnvRef(o.clientSecretRef, `${slug}-client`, report.notes, here),
      };
    }
    if (!o.userInfo?.endpointUrl) {
      report.unmapped.push(`${here}: Gatehouse needs a user-info endpoint to know whose account is linked, and this upstream has none`);
      return undefined;
    }
    return {
      slug,
      kind: "oauth2",
      displayName: name,
      authorizationEndpoint: o.authorizationEndpoint,
      tokenEndpoint: o.tokenEndpoint,
      userinfoEndpoint: o.userInfo.endpointUrl,
      clientId: o.clientId,
      ...(o.scopes?.length ? { scopes: o.scopes } : {}),
      clientSecret: secretEnvRef(o.clientSecretRef, `${slug}-client`, report.notes, here),
    };
  }
  report.unmapped.push(
    `${here}: only oidc and oauth2 upstreams with a client id can become providers (dynamic client registration cannot)`,
  );
  return undefined;
}
