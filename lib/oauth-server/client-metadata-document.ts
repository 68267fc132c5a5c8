// Client ID Metadata Documents: an MCP client whose client_id is an https URL publishes its metadata
// there (Claude Code, VS Code, …). The authorization server fetches it (fetch-client-metadata.ts),
// checks it (its client_id must be that URL; redirect URIs come only from it; public client), and
// remembers it as long as its Cache-Control allows (CACHE_MS when it says nothing). The adapter answers oidc-provider's Client lookups with it.
import { errors, type AdapterPayload } from "oidc-provider";
import { z } from "zod";
import { log } from "@/lib/log";
import { fetchClientMetadata, isAllowedDevelopmentUrl } from "@/lib/oauth-server/fetch-client-metadata";
import { singleton } from "@/lib/singleton";

const CACHE_MS = 5 * 60_000;
const FAILURE_CACHE_MS = 30_000;
const MAX_CACHED = 1_000;

const documentSchema = z.object({
  client_id: z.string(),
  client_name: z.string().max(200).optional(),
  client_uri: z.url().optional(),
  logo_uri: z.url().optional(),
  redirect_uris: z.array(z.string()).min(1, "redirect_uris must list at least one URI").max(20),
  grant_types: z.array(z.enum(["authorization_code", "refresh_token"])).optional(),
  response_types: z.array(z.literal("code")).optional(),
  token_endpoint_auth_method: z
    .literal("none", { message: "token_endpoint_auth_method must be none (a metadata document client is public)" })
    .optional(),
});

/** An https URL with a path: how a client id says "my metadata is here". */
export function isClientMetadataUrl(clientId: string): boolean {
  const url = URL.parse(clientId);
  if (!url || url.hash || url.username || url.password) return false;
  return (url.protocol === "https:" || isAllowedDevelopmentUrl(url)) && url.pathname !== "/";
}

type Cached = { until: number; payload?: AdapterPayload; problem?: string };

/** The client's metadata from its document; throws invalid_client naming what is wrong with it. */
export async function clientFromMetadataDocument(clientId: string): Promise<AdapterPayload | undefined> {
  if (!isClientMetadataUrl(clientId)) return undefined;
  const cache = singleton("oauth.clientMetadataDocuments", () => new Map<string, Cached>());
  let entry = cache.get(clientId);
  if (!entry || entry.until <= Date.now()) {
    entry = await load(clientId);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(clientId, entry);
  }
  if (entry.problem) throw new errors.InvalidClient(`client metadata document ${clientId}: ${entry.problem}`);
  return entry.payload;
}

/** What this replica last read from the client's document, without fetching it (for listings). */
export function cachedClientMetadata(clientId: string): AdapterPayload | undefined {
  return singleton("oauth.clientMetadataDocuments", () => new Map<string, Cached>()).get(clientId)?.payload;
}

async function load(clientId: string): Promise<Cached> {
  try {
    const { document, freshForMs } = await fetchClientMetadata(new URL(clientId));
    const parsed = documentSchema.safeParse(document);
    if (!parsed.success) return failed(clientId, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const doc = parsed.data;
    if (doc.client_id !== clientId) return failed(clientId, "its client_id is not the URL it was fetched from");
    const payload: AdapterPayload = {
      client_id: clientId,
      ...(doc.client_name ? { client_name: doc.client_name } : {}),
      ...(doc.client_uri ? { client_uri: doc.client_uri } : {}),
      ...(doc.logo_uri ? { logo_uri: doc.logo_uri } : {}),
      redirect_uris: doc.redirect_uris,
      grant_types: doc.grant_types ?? ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
    return { until: Date.now() + (freshForMs ?? CACHE_MS), payload };
  } catch (e) {
    return failed(clientId, (e as Error).message);
  }
}

function failed(clientId: string, problem: string): Cached {
  log.info({ clientId, problem }, "a client metadata document was refused");
  return { until: Date.now() + FAILURE_CACHE_MS, problem };
}
