// Remembered consent: a person's approval of an MCP client is that client's Grant at the authorization
// server, one per (user, client), listing each approved Gatehouse endpoint with its scopes. A later
// sign-in of the client finds it, and oidc-provider's consent checks ask again only for what it does
// not cover (a new endpoint, a new scope). Revoking the connection deletes the grant, so the next
// sign-in asks again; so does its expiry (OAUTH_REFRESH_TOKEN_TTL_SECONDS after the first approval).
import { getDb } from "@/lib/db";

/** The id of the user's live grant for this client, if they approved it before. */
export async function findRememberedGrantId(opts: { accountId: string; clientId: string }): Promise<string | undefined> {
  const row = await getDb().oAuthModel.findFirst({
    where: {
      kind: "Grant",
      AND: [
        { payload: { path: ["accountId"], equals: opts.accountId } },
        { payload: { path: ["clientId"], equals: opts.clientId } },
        { OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
      ],
    },
    select: { id: true },
    orderBy: { createdAt: "desc" },
  });
  return row?.id;
}

/** The endpoints (resource indicators) the user approved for this client, with their scopes. */
export async function findRememberedResources(opts: { accountId: string; clientId: string }): Promise<Record<string, string>> {
  const id = await findRememberedGrantId(opts);
  if (!id) return {};
  const row = await getDb().oAuthModel.findUnique({ where: { kind_id: { kind: "Grant", id } }, select: { payload: true } });
  const resources = (row?.payload as { resources?: unknown } | undefined)?.resources;
  if (!resources || typeof resources !== "object" || Array.isArray(resources)) return {};
  return Object.fromEntries(Object.entries(resources).filter((e): e is [string, string] => typeof e[1] === "string"));
}
