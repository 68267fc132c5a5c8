// oidc-provider's loadExistingGrant: the grant its consent checks compare a request against. Without a
// decision on the consent page it is the remembered grant (remembered-grant.ts), so an approved client
// signs in again without asking, unless it asks for more. After Approve, what was asked is added to
// that grant (or a new one), so one grant per (user, client) collects every approved endpoint.
import type { Grant, KoaContextWithOIDC } from "oidc-provider";
import { findRememberedGrantId } from "@/lib/oauth-server/consent/remembered-grant";
import { MCP_SCOPE } from "@/lib/oauth-server/resources";

export async function loadConsentGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const accountId = oidc.session?.accountId;
  if (!accountId || !oidc.client) return undefined;
  const clientId = oidc.client.clientId;
  const rememberedId = await findRememberedGrantId({ accountId, clientId });
  const remembered = rememberedId ? await oidc.provider.Grant.find(rememberedId) : undefined;
  if (oidc.result?.consent?.approved !== true) return remembered;
  const grant = remembered ?? new oidc.provider.Grant({ clientId, accountId });
  for (const resource of Object.keys(oidc.resourceServers ?? {})) grant.addResourceScope(resource, MCP_SCOPE);
  const openid = [...oidc.requestParamOIDCScopes].join(" ");
  if (openid) grant.addOIDCScope(openid);
  await grant.save();
  return grant;
}
