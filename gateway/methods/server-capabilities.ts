// What the gateway offers a client, in either era: what the backends it may reach offer (lists
// always; logging, completions and resource subscriptions when some backend does), and the
// gateway's own identity.
import type { ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { RequestContext } from "@/gateway/context";
import { loadCatalogs } from "@/gateway/methods/lists";

export const GATEWAY_VERSION = "0.1.0";

export async function serverCapabilities(ctx: RequestContext): Promise<ServerCapabilities> {
  const offered = (await loadCatalogs(ctx)).catalogs.map(({ catalog }) => catalog.capabilities ?? {});
  const caps: ServerCapabilities = {
    tools: { listChanged: true },
    prompts: { listChanged: true },
    resources: { listChanged: true, ...(offered.some((c) => c.resources?.subscribe) ? { subscribe: true } : {}) },
  };
  if (offered.some((c) => c.logging)) caps.logging = {};
  if (offered.some((c) => c.completions)) caps.completions = {};
  return caps;
}

export function serverInfo(slug: string | undefined, displayName: string | undefined) {
  return slug
    ? { name: `gatehouse-${slug}`, title: `${displayName ?? slug} via Gatehouse`, version: GATEWAY_VERSION }
    : { name: "gatehouse", title: "Gatehouse", version: GATEWAY_VERSION };
}

export function instructions(slug: string | undefined, displayName: string | undefined): string {
  return slug
    ? `The tools of ${displayName ?? slug}, called with your own identity.`
    : "Tools of every backend you may use, named <backend>_<tool>. A tool that needs a linked account asks you to link it first.";
}
