// GET /api/admin/clients — every MCP client the authorization server knows, with its connected users
// POST /api/admin/clients — pre-register a public MCP client with a fixed id and redirect URIs
import { parseJson, withAdmin } from "@/lib/auth/route";
import { findAdminClients } from "@/lib/oauth-server/admin-clients";
import { preregisterClient, preregisterClientSchema } from "@/lib/oauth-server/preregister-client";

export const GET = withAdmin(async () => Response.json({ clients: await findAdminClients() }));

export const POST = withAdmin(async ({ req, caller }) =>
  Response.json(await preregisterClient(await parseJson(req, preregisterClientSchema), { userId: caller.userId }), { status: 201 }),
);
