// Every MCP client the authorization server knows, for the admin console and REST API: clients that
// registered dynamically (a Client row), Client ID Metadata Document clients (no row of their own:
// known from their grants, named from this replica's cached document when it has one) and disabled
// clients, each with the users it is connected for.
import { z } from "zod";
import { getDb } from "@/lib/db";
import { cachedClientMetadata, isClientMetadataUrl } from "@/lib/oauth-server/client-metadata-document";

export const adminClientSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  redirectHosts: z.array(z.string()),
  registration: z.enum(["dynamic", "metadata_document"]),
  createdAt: z.date().nullable().describe("registration, or the first grant of a metadata document client"),
  disabled: z.boolean(),
  disabledAt: z.date().nullable(),
  grants: z.array(
    z.object({
      grantId: z.string(),
      user: z.object({ id: z.string(), username: z.string().nullable(), email: z.string().nullable(), issuer: z.string() }).nullable(),
      grantedAt: z.date(),
    }),
  ),
});
export type AdminClient = z.infer<typeof adminClientSchema>;

interface ClientPayload {
  client_name?: unknown;
  redirect_uris?: unknown;
}

export async function findAdminClients(): Promise<AdminClient[]> {
  const db = getDb();
  const [clients, grants, disabled] = await Promise.all([
    db.oAuthModel.findMany({ where: { kind: "Client" }, select: { id: true, payload: true, createdAt: true } }),
    db.oAuthModel.findMany({
      where: { kind: "Grant", OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
      select: { id: true, payload: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.oAuthDisabledClient.findMany({ select: { clientId: true, disabledAt: true } }),
  ]);
  const userIds = [...new Set(grants.map((g) => (g.payload as { accountId?: string }).accountId).filter((id): id is string => !!id))];
  const users = new Map(
    (await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, username: true, email: true, issuer: true } })).map(
      (u) => [u.id, u],
    ),
  );

  const byId = new Map<string, AdminClient>();
  const entry = (clientId: string, payload: ClientPayload | undefined, createdAt: Date | null): AdminClient => {
    let found = byId.get(clientId);
    if (!found) {
      found = {
        clientId,
        name: typeof payload?.client_name === "string" && payload.client_name ? payload.client_name : clientId,
        redirectHosts: redirectHosts(payload?.redirect_uris),
        registration: isClientMetadataUrl(clientId) && !payload ? "metadata_document" : "dynamic",
        createdAt,
        disabled: false,
        disabledAt: null,
        grants: [],
      };
      byId.set(clientId, found);
    }
    return found;
  };
  for (const c of clients) entry(c.id, c.payload as ClientPayload, c.createdAt);
  for (const g of grants) {
    const { clientId, accountId } = g.payload as { clientId?: string; accountId?: string };
    if (!clientId) continue;
    const client = byId.get(clientId) ?? entry(clientId, undefined, g.createdAt);
    client.grants.push({ grantId: g.id, user: (accountId && users.get(accountId)) || null, grantedAt: g.createdAt });
  }
  for (const d of disabled) Object.assign(entry(d.clientId, undefined, null), { disabled: true, disabledAt: d.disabledAt });
  for (const c of byId.values()) if (c.registration === "metadata_document") fillFromDocument(c);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId));
}

function fillFromDocument(client: AdminClient): void {
  const doc = cachedClientMetadata(client.clientId) as ClientPayload | undefined;
  if (typeof doc?.client_name === "string" && doc.client_name) client.name = doc.client_name;
  client.redirectHosts = doc ? redirectHosts(doc.redirect_uris) : [];
}

function redirectHosts(uris: unknown): string[] {
  if (!Array.isArray(uris)) return [];
  const hosts = uris.map((u) => (typeof u === "string" ? URL.parse(u) : null)).map((u) => (u ? u.host || `${u.protocol}` : "?"));
  return [...new Set(hosts)];
}
