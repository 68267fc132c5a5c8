// GET /api/admin/clients — every MCP client the authorization server knows, with its connected users
import { withAdmin } from "@/lib/auth/route";
import { findAdminClients } from "@/lib/oauth-server/admin-clients";

export const GET = withAdmin(async () => Response.json({ clients: await findAdminClients() }));
