// Who the linked account is at the provider. GitLab's MCP endpoint wants tokens with exactly `mcp`
// on older versions, and such a token cannot read /api/v4/user: /oauth/token/info works with any
// scope and names the owner's id, and /api/v4/user adds the username when read_user or api was granted.
import { AppError } from "@/lib/errors";
import { safeFetch } from "@/lib/net/safe-fetch";
import type { ProviderOAuth } from "@/lib/providers/get-provider-oauth";
import { githubApiBase } from "@/lib/providers/resolve-endpoints";

export interface ExternalIdentity {
  externalId: string;
  externalName: string;
  /** Granted scopes, when the provider tells them here rather than in the token response. */
  scopes?: string[];
}

type Json = Record<string, unknown>;

export async function readExternalIdentity(
  p: Pick<ProviderOAuth, "kind" | "displayName" | "baseUrl" | "userinfoEndpoint">,
  accessToken: string,
  idTokenClaims?: Json,
): Promise<ExternalIdentity> {
  switch (p.kind) {
    case "gitlab": {
      const info = await getJson(p, p.userinfoEndpoint ?? `${p.baseUrl}/oauth/token/info`, accessToken);
      const scopes = Array.isArray(info.scope)
        ? info.scope.map(String)
        : typeof info.scope === "string"
          ? info.scope.split(" ")
          : undefined;
      const id = text(info.resource_owner_id);
      if (!id) throw identityError(p, "the token info names no resource owner");
      if (!scopes?.some((s) => s === "read_user" || s === "api")) return { externalId: id, externalName: `GitLab user #${id}`, scopes };
      const user = await getJson(p, `${p.baseUrl}/api/v4/user`, accessToken);
      return { externalId: id, externalName: text(user.username) ?? text(user.name) ?? `GitLab user #${id}`, scopes };
    }
    case "github": {
      const user = await getJson(p, p.userinfoEndpoint ?? `${githubApiBase(p.baseUrl)}/user`, accessToken, {
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
      });
      const id = text(user.id);
      if (!id) throw identityError(p, "the user has no id");
      return { externalId: id, externalName: text(user.login) ?? id };
    }
    case "oidc":
    case "oauth2": {
      const claims = p.userinfoEndpoint ? await getJson(p, p.userinfoEndpoint, accessToken) : idTokenClaims;
      const id = text(claims?.sub) ?? text(claims?.id);
      if (!claims || !id) throw identityError(p, "the user info names no `sub` or `id`");
      const name = ["preferred_username", "username", "login", "email", "name"].map((k) => text(claims[k])).find(Boolean);
      return { externalId: id, externalName: name ?? id };
    }
  }
}

async function getJson(
  p: Pick<ProviderOAuth, "displayName">,
  url: string,
  accessToken: string,
  headers: Record<string, string> = {},
): Promise<Json> {
  let res: Response;
  try {
    res = await safeFetch(url, {
      headers: { accept: "application/json", ...headers, authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw identityError(p, `${new URL(url).pathname} could not be reached (${(e as Error).message})`);
  }
  if (!res.ok) throw identityError(p, `${new URL(url).pathname} answered HTTP ${res.status}`);
  const body: unknown = await res.json().catch(() => undefined);
  if (!body || typeof body !== "object") throw identityError(p, `${new URL(url).pathname} did not answer JSON`);
  return body as Json;
}

function text(v: unknown): string | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
}

function identityError(p: Pick<ProviderOAuth, "displayName">, why: string): AppError {
  return new AppError("upstream", `Could not read your ${p.displayName} account: ${why}.`);
}
