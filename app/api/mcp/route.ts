// POST /api/mcp — the MCP gateway (Streamable HTTP) when Next serves it directly (next dev); under
// `npm start`, server.ts sends /api/mcp* to the gateway before Next's router sees it.
import { handleWebRequest } from "@/gateway/http/web-handler";

export const dynamic = "force-dynamic";

const handle = (req: Request) => handleWebRequest(req);
export { handle as POST, handle as GET, handle as DELETE, handle as OPTIONS };
